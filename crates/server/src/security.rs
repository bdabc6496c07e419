//! The server's web surface: who may reach it, who may write to it, and
//! the headers every response carries.
//!
//! - **Host.** The `Host` header must name this server: a loopback name,
//!   the address it is bound to, or a name given with `--allow-host`.
//!   Another name is how a DNS-rebinding page reaches a loopback server
//!   from a browser (421).
//! - **Writes** (any method but GET/HEAD/OPTIONS) are refused (403) when a
//!   browser says they come from another site (`Sec-Fetch-Site:
//!   cross-site/same-site`, an `Origin` that is not this server); with a
//!   token configured they need `Authorization: Bearer TOKEN`; bound beyond
//!   loopback without a token the server is read-only. A body of a type a
//!   plain HTML form can send (`text/plain`, form encodings) from a page
//!   (with an `Origin`) needs the token: without it a write needs JSON or
//!   NDJSON, which a browser only sends after a CORS preflight this server
//!   never grants.
//! - **Headers.** A Content-Security-Policy without inline script or style,
//!   `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (and
//!   `frame-ancestors 'none'`), `Referrer-Policy: no-referrer`.

use crate::{ApiError, AppState, ServeOptions};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Who may reach and write to one server.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    /// Host names (lower case, no port) requests may name.
    hosts: Vec<String>,
    token: Option<String>,
    loopback: bool,
}

impl Guard {
    /// A server on loopback without a token (tests, `AppState::open`).
    pub(crate) fn loopback() -> Guard {
        Guard::new(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            ServeOptions::default(),
        )
    }

    pub(crate) fn new(addr: SocketAddr, options: ServeOptions) -> Guard {
        let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "::1"]
            .iter()
            .map(|h| h.to_string())
            .collect();
        if !addr.ip().is_unspecified() {
            hosts.push(addr.ip().to_string());
        }
        hosts.extend(options.allowed_hosts.iter().map(|h| h.to_ascii_lowercase()));
        Guard {
            hosts,
            token: options.token.filter(|t| !t.is_empty()),
            loopback: addr.ip().is_loopback(),
        }
    }

    /// What the operator should know at start-up.
    pub(crate) fn warning(&self) -> Option<String> {
        (!self.loopback && self.token.is_none()).then(|| {
            "bound beyond loopback without --token (or CORROBORATE_TOKEN): the API is read-only; writes answer 403".to_string()
        })
    }

    fn host_ok(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return true; // HTTP/1.0 without Host: not a browser
        };
        let name = host_name(host);
        self.hosts.contains(&name)
    }

    fn token_ok(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.token else {
            return false;
        };
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| constant_time_eq(given.trim().as_bytes(), token.as_bytes()))
    }

    /// Whether a write may go on.
    fn write_ok(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let fetch_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if matches!(fetch_site, "cross-site" | "same-site") {
            return Err(ApiError::Forbidden(
                "writes from another site's page are refused".into(),
            ));
        }
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        if let Some(origin) = origin {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            let from = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            if !from.eq_ignore_ascii_case(host) {
                return Err(ApiError::Forbidden(format!(
                    "writes from another origin ({origin}) are refused"
                )));
            }
        }
        let has_token = self.token_ok(headers);
        if self.token.is_some() && !has_token {
            return Err(ApiError::Forbidden(
                "writes need the server's token: Authorization: Bearer TOKEN".into(),
            ));
        }
        if !self.loopback && !has_token {
            return Err(ApiError::Forbidden(
                "this server is read-only: it is bound beyond loopback without a token (serve --token)"
                    .into(),
            ));
        }
        if origin.is_some() && form_type(headers) && !has_token {
            return Err(ApiError::Forbidden(
                "a page may write only JSON or NDJSON (or with the token)".into(),
            ));
        }
        Ok(())
    }
}

/// The host part of a `Host` header value, lower case, without the port.
fn host_name(host: &str) -> String {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        }
    };
    name.to_ascii_lowercase()
}

/// Content types a plain HTML form (or a no-preflight `fetch`) can send.
fn form_type(headers: &HeaderMap) -> bool {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mime = ctype.split(';').next().unwrap_or("").trim();
    matches!(
        mime,
        "" | "text/plain"
            | "text/html"
            | "application/x-www-form-urlencoded"
            | "multipart/form-data"
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The middleware: host and write checks before the handler, the security
/// headers on every response.
pub(crate) async fn check(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let guard = &state.guard;
    let refused = if !guard.host_ok(req.headers()) {
        Some(ApiError::MisdirectedHost(
            "this server does not answer to that Host name (serve --allow-host NAME)".into(),
        ))
    } else if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        guard.write_ok(req.headers()).err()
    } else {
        None
    };
    let mut response = match refused {
        Some(e) => e.into_response(),
        None => next.run(req).await,
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn host_names_lose_their_port() {
        assert_eq!(host_name("127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_name("[::1]:8080"), "::1");
        assert_eq!(host_name("LocalHost"), "localhost");
        assert_eq!(host_name("evil.example:80"), "evil.example");
    }

    #[test]
    fn only_this_servers_names_are_answered() {
        let g = Guard::loopback();
        assert!(g.host_ok(&headers(&[("host", "127.0.0.1:8080")])));
        assert!(g.host_ok(&headers(&[("host", "localhost")])));
        assert!(!g.host_ok(&headers(&[("host", "attacker.example:8080")])));
        let lan = Guard::new(
            "0.0.0.0:80".parse().unwrap(),
            ServeOptions {
                token: None,
                allowed_hosts: vec!["news-desk.lan".into()],
                queue: None,
            },
        );
        assert!(lan.host_ok(&headers(&[("host", "news-desk.lan")])));
        assert!(!lan.host_ok(&headers(&[("host", "0.0.0.0")])));
    }

    #[test]
    fn writes_from_other_sites_and_forms_are_refused() {
        let g = Guard::loopback();
        let json = ("content-type", "application/json");
        assert!(g.write_ok(&headers(&[json])).is_ok(), "curl-like client");
        assert!(g
            .write_ok(&headers(&[
                json,
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080")
            ]))
            .is_ok());
        assert!(g
            .write_ok(&headers(&[
                json,
                ("host", "127.0.0.1:8080"),
                ("origin", "http://evil.example")
            ]))
            .is_err());
        assert!(g
            .write_ok(&headers(&[json, ("sec-fetch-site", "cross-site")]))
            .is_err());
        let form = [
            ("content-type", "text/plain"),
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ];
        assert!(
            g.write_ok(&headers(&form)).is_err(),
            "a form post from a page"
        );
        assert!(g
            .write_ok(&headers(&[("content-type", "text/plain")]))
            .is_ok());
    }

    #[test]
    fn beyond_loopback_writes_need_the_token() {
        let open = Guard::new("0.0.0.0:80".parse().unwrap(), ServeOptions::default());
        assert!(open.warning().is_some());
        assert!(open
            .write_ok(&headers(&[("content-type", "application/json")]))
            .is_err());
        let tokened = Guard::new(
            "0.0.0.0:80".parse().unwrap(),
            ServeOptions {
                token: Some("s3cret".into()),
                allowed_hosts: vec![],
                queue: None,
            },
        );
        assert!(tokened.warning().is_none());
        let json = ("content-type", "application/json");
        assert!(tokened.write_ok(&headers(&[json])).is_err());
        assert!(tokened
            .write_ok(&headers(&[json, ("authorization", "Bearer wrong!")]))
            .is_err());
        assert!(tokened
            .write_ok(&headers(&[json, ("authorization", "Bearer s3cret")]))
            .is_ok());
    }
}
