//! The OpenAPI 3.1 document served at `/openapi.json`. The story report's
//! schema (and every model type it holds) is generated from the types with
//! schemars; the paths and the API's own envelopes are written here. A test
//! checks the paths against the router's routes and the report schema
//! against a served report.

use serde_json::{json, Value};

fn error_responses(codes: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    for c in codes {
        m.insert((*c).to_string(), json!({ "description": "Error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }));
    }
    Value::Object(m)
}

fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
    base
}

fn q(name: &str, desc: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": desc, "schema": schema })
}

/// The schemas generated from the types (schemars): the story report and
/// every type it holds, the story list page, an article and its
/// annotations, and the queue's status, under `#/components/schemas`.
fn model_schemas() -> serde_json::Map<String, Value> {
    let settings = schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into());
    let mut generator = settings.into_generator();
    let report = generator.subschema_for::<corroborate_model::StoryReport>();
    generator.subschema_for::<crate::api::StoryPage>();
    generator.subschema_for::<corroborate_model::Article>();
    generator.subschema_for::<corroborate_model::Annotations>();
    generator.subschema_for::<corroborate_queue::QueueStatus>();
    let mut schemas = generator.take_definitions(true);
    if let Some(Value::Object(r)) = schemas.get_mut("StoryReport") {
        r.insert(
            "description".into(),
            json!("A story's report: see docs/report.md"),
        );
    }
    debug_assert!(report.as_value().get("$ref").is_some());
    schemas
}

/// The document.
pub fn document() -> Value {
    let mut doc = hand_written();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.extend(model_schemas());
    }
    doc
}

/// The paths and the schemas of the API's own envelopes.
fn hand_written() -> Value {
    let id = |what: &str| json!({ "name": "id", "in": "path", "required": true, "description": what, "schema": { "type": "string" } });
    json!({
        "openapi": "3.1.0",
        "info": { "title": "corroborate API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Stories, cross-source reports and articles from a corroborate store. Errors are JSON {code, message}." },
        "paths": {
            "/health": { "get": { "summary": "Liveness and counts", "responses": { "200": { "description": "OK", "content": { "application/json": { "schema": { "type": "object", "properties": { "status": { "type": "string" }, "articles": { "type": "integer" }, "stories": { "type": "integer" } } } } } } } } },
            "/api/stories": { "get": {
                "summary": "List and search stories, newest first",
                "parameters": [
                    q("q", "words in an article or claim of the story (at least one letter or digit)", json!({ "type": "string", "pattern": "[\\p{L}\\p{N}]" })),
                    q("outlet", "an outlet of the story (exact name, any case)", json!({ "type": "string" })),
                    q("entity", "a speaker or name in the story's claims (at least one letter or digit)", json!({ "type": "string", "pattern": "[\\p{L}\\p{N}]" })),
                    q("snippets", "with q: add `match` (a snippet and the matching claim) to each story of the page", json!({ "type": "boolean", "default": false })),
                    q("status", "stories with a claim of this status", json!({ "type": "string", "enum": ["confirmed", "attributed_only", "disputed", "contested", "unattributed"] })),
                    q("from", "stories ending on or after (YYYY-MM-DD or RFC 3339; empty is no bound)", json!({ "anyOf": [{ "type": "string", "format": "date" }, { "type": "string", "format": "date-time" }, { "type": "string", "maxLength": 0 }] })),
                    q("to", "stories starting on or before (YYYY-MM-DD or RFC 3339; empty is no bound)", json!({ "anyOf": [{ "type": "string", "format": "date" }, { "type": "string", "format": "date-time" }, { "type": "string", "maxLength": 0 }] })),
                    q("limit", "page size", json!({ "type": "integer", "minimum": 1, "maximum": 200, "default": 50 })),
                    q("offset", "page offset", json!({ "type": "integer", "minimum": 0, "default": 0 }))
                ],
                "responses": with(json!({ "200": { "description": "A page of stories", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StoryPage" } } } } }), error_responses(&["400"]))
            } },
            "/api/stories/{id}": { "get": {
                "summary": "A story's report (docs/report.md); a unique id prefix is accepted",
                "parameters": [id("story id")],
                "responses": with(json!({ "200": { "description": "The report", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/StoryReport" } } } } }), error_responses(&["404"]))
            } },
            "/api/stories/{id}/tables/{table}": { "get": {
                "summary": "One of a story's tables (docs/report.md, Tables): CSV, NDJSON or JSON rows",
                "parameters": [id("story id"),
                    { "name": "table", "in": "path", "required": true, "description": "claims, carriers, figures, timeline or sources (a .csv or .ndjson suffix picks the format)", "schema": { "type": "string", "enum": ["claims", "carriers", "figures", "timeline", "sources"] } },
                    q("format", "csv, ndjson or json (else from Accept: text/csv, application/x-ndjson)", json!({ "type": "string", "enum": ["csv", "ndjson", "json"] }))],
                "responses": with(json!({ "200": { "description": "The table", "content": {
                    "application/json": { "schema": { "type": "object", "properties": { "story": { "type": "string" }, "table": { "type": "string" }, "columns": { "type": "array", "items": { "type": "string" } }, "rows": { "type": "array", "items": { "type": "object" } } } } },
                    "text/csv": { "schema": { "type": "string" } },
                    "application/x-ndjson": { "schema": { "type": "string" } } } } }), error_responses(&["400", "404"]))
            } },
            "/api/articles": { "post": {
                "summary": "Ingest articles; the answer waits up to `wait` seconds (5) for their stories (analysis: done or pending)",
                "description": "Writes are refused (403) from another site's page (Origin, Sec-Fetch-Site), and, when the server has a token (always beyond loopback), without Authorization: Bearer TOKEN. text/html and text/plain bodies sent by a page (with an Origin) need the token. A document over a work limit (too_many_elements, timeout) is an issue, not an article.",
                "security": [{}, { "bearer": [] }],
                "parameters": [q("wait", "seconds to wait for the analysis that places the articles (0 answers once stored)", json!({ "type": "integer", "minimum": 0, "maximum": 30, "default": 5 }))],
                "requestBody": { "required": true, "content": {
                    "application/json": { "schema": { "$ref": "#/components/schemas/ArticleRecord" } },
                    "application/x-ndjson": { "schema": { "type": "string", "minLength": 1, "description": "one ArticleRecord per line" } },
                    "text/html": { "schema": { "type": "string", "minLength": 1, "pattern": "\\S" } },
                    "text/plain": { "schema": { "type": "string", "minLength": 1, "pattern": "\\S", "description": "a non-empty text; an empty or blank body is 422" } } } },
                "responses": with(json!({
                    "201": { "description": "Stored", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Posted" } } } },
                    "200": { "description": "Already stored (idempotent)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Posted" } } } },
                    "202": { "description": "Published to the work queue (server started with --queue); workers extract and place the articles", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Queued" } } } }
                }), error_responses(&["400", "403", "413", "415", "422", "503"]))
            } },
            "/api/queue": { "get": {
                "summary": "The work queue (servers started with --queue): depth, pending, redeliveries, dead letters with reasons, workers' rates",
                "responses": with(json!({ "200": { "description": "Queue status", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/QueueStatus" } } } } }), error_responses(&["404", "503"]))
            } },
            "/metrics": { "get": {
                "summary": "Prometheus metrics (OpenMetrics text): articles per stage, stage latencies, queue lag, errors by kind",
                "responses": { "200": { "description": "Metrics", "content": { "application/openmetrics-text": { "schema": { "type": "string" } } } } }
            } },
            "/api/articles/{id}": { "get": {
                "summary": "An article with its extracted text and annotations",
                "parameters": [id("article id")],
                "responses": with(json!({ "200": { "description": "The article", "content": { "application/json": { "schema": { "type": "object", "required": ["article", "annotations"], "properties": { "article": { "$ref": "#/components/schemas/Article" }, "story": { "type": ["string", "null"] }, "annotations": { "$ref": "#/components/schemas/Annotations" } } } } } } }), error_responses(&["404"]))
            } },
            "/api/search": { "get": {
                "summary": "Full-text search over articles and claims",
                "parameters": [
                    { "name": "q", "in": "query", "required": true, "description": "words, all required (at least one letter or digit)", "schema": { "type": "string", "minLength": 1, "pattern": "[\\p{L}\\p{N}]" } },
                    q("limit", "hits per kind", json!({ "type": "integer", "minimum": 1, "maximum": 100, "default": 20 }))
                ],
                "responses": with(json!({ "200": { "description": "Hits", "content": { "application/json": { "schema": { "type": "object", "properties": { "query": { "type": "string" }, "articles": { "type": "array" }, "claims": { "type": "array" } } } } } } }), error_responses(&["400"]))
            } }
        },
        "components": { "schemas": {
            "Error": { "type": "object", "required": ["code", "message"], "properties": {
                "code": { "type": "string", "enum": ["bad_request", "not_found", "payload_too_large", "unsupported_media_type", "unprocessable", "internal", "forbidden", "misdirected_host", "method_not_allowed", "unavailable"] },
                "message": { "type": "string" } } },
            "ArticleRecord": { "type": "object", "properties": { "url": { "type": "string" }, "title": { "type": "string" }, "published": { "type": "string" }, "outlet": { "type": "string" }, "author": { "type": "string" }, "html": { "type": "string" }, "text": { "type": "string" } } },
            "Queued": { "type": "object", "properties": { "queued": { "type": "object", "properties": { "published": { "type": "integer" }, "duplicates": { "type": "integer" } } }, "articles": { "type": "array", "items": { "type": "string" } }, "issues": { "type": "array", "items": { "type": "string" } }, "warnings": { "type": "array", "items": { "type": "string" } }, "analysis": { "type": "string", "enum": ["queued"] } } },
            "Posted": { "type": "object", "properties": { "ingest": { "type": "object" }, "articles": { "type": "array" }, "issues": { "type": "array", "items": { "type": "string" } }, "analysis": { "type": "string", "enum": ["done", "pending"] } } }
        },
        "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "serve --token / CORROBORATE_TOKEN" } } }
    })
}
