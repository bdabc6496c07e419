//! One function per command: what `corroborate <command>` does with its
//! arguments, writing to standard output through `out`.

use super::*;

/// Standard output, buffered and locked for the run.
pub(crate) type Out<'a> = io::BufWriter<io::StdoutLock<'a>>;

/// Ingest, analyse, print the reports (and serve with `--serve`).
pub(crate) fn analyze(g: &Global, mut out: Out<'_>, args: &AnalyzeArgs) -> Result<ExitCode> {
    let AnalyzeArgs {
        paths,
        json,
        format,
        all,
        serve,
        web,
    } = args;
    let mut engine = open(g)?;
    let summary = ingest(&mut engine, g, paths)?;
    let bar = progress::Bar::new(g.quiet);
    let mut reports = engine.analyze_with(&bar)?;
    if !*all {
        // The stories the input is in, not the whole store.
        let touched: std::collections::HashSet<&corroborate_model::ArticleId> =
            engine.touched().iter().collect();
        reports.retain(|r| r.articles.iter().any(|a| touched.contains(&a.id)));
    }
    reports.sort_by_key(|r| std::cmp::Reverse(r.articles.len()));
    if *json || *format == Format::Json {
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({ "stories": reports, "ingest": summary }),
        )?;
        writeln!(out)?;
    } else {
        for r in &reports {
            writeln!(out, "{}", render(r, (*format).into()))?;
        }
        if !g.quiet {
            eprintln!(
                "corroborate: {} in {}",
                corroborate_render::plural(reports.len(), "story", "stories"),
                g.db.display()
            );
        }
    }
    out.flush()?;
    drop(out);
    if let Some(addr) = serve {
        drop(engine);
        corroborate_server::run_with(&g.db, *addr, web.serve_options()).context("serving")?;
    }
    Ok(status(&summary))
}

/// `ingest --queue`: publish the documents to the work queue.
pub(crate) fn ingest_to_queue(g: &Global, mut out: Out<'_>, args: &IngestArgs) -> Result<ExitCode> {
    let IngestArgs {
        paths,
        json,
        queue: q,
    } = args;
    let (summary, published) = queue::publish(g, paths, q)?;
    if *json {
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({ "ingest": summary, "queued": published }),
        )?;
        writeln!(out)?;
        out.flush()?;
    }
    Ok(status(&summary))
}

/// `worker`: run a queue worker.
pub(crate) fn worker(g: &Global, out: Out<'_>, args: &queue::WorkerArgs) -> Result<ExitCode> {
    drop(out);
    queue::worker(g, args)?;
    Ok(ExitCode::SUCCESS)
}

/// `queue status`.
pub(crate) fn queue_status(mut out: Out<'_>, cmd: &queue::QueueCommand) -> Result<ExitCode> {
    queue::status(cmd, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `ingest`: store only.
pub(crate) fn ingest_into_store(
    g: &Global,
    mut out: Out<'_>,
    args: &IngestArgs,
) -> Result<ExitCode> {
    let IngestArgs { paths, json, .. } = args;
    let mut engine = open(g)?;
    let summary = ingest(&mut engine, g, paths)?;
    if *json {
        serde_json::to_writer(&mut out, &serde_json::json!({ "ingest": summary }))?;
        writeln!(out)?;
        out.flush()?;
    } else if !g.quiet {
        eprintln!("corroborate: run `corroborate analyze` or `corroborate stories` next");
    }
    Ok(status(&summary))
}

/// `stories`: list the stored stories.
pub(crate) fn stories(g: &Global, mut out: Out<'_>, args: &StoriesArgs) -> Result<ExitCode> {
    let StoriesArgs { json } = args;
    let engine = open_existing(g)?;
    let stories = engine.store().stories()?;
    if *json {
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "stories": stories }))?;
        writeln!(out)?;
    } else if stories.is_empty() {
        eprintln!(
            "corroborate: no stories in {} (run `corroborate analyze PATH` first)",
            g.db.display()
        );
    } else {
        for s in stories {
            let span = match (&s.start, &s.end) {
                (Some(a), Some(b)) if a.get(..10) == b.get(..10) => a.chars().take(10).collect(),
                (Some(a), Some(b)) => format!(
                    "{} – {}",
                    a.chars().take(10).collect::<String>(),
                    b.chars().take(10).collect::<String>()
                ),
                _ => "undated".into(),
            };
            writeln!(
                out,
                "{}  {:>12}  {:<25}  {}  [{}]",
                s.id,
                corroborate_render::plural(s.articles, "article", "articles"),
                span,
                s.title,
                s.outlets.join(", ")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `export`: a story's tables as CSV or NDJSON.
pub(crate) fn export(g: &Global, mut out: Out<'_>, args: &ExportArgs) -> Result<ExitCode> {
    let ExportArgs {
        story_id,
        table,
        format,
        out: dir,
    } = args;
    use corroborate_engine::export::{self, Table};
    let report = stored_report(g, story_id)?;
    let body = |t: Table| match format {
        TableFormat::Csv => export::to_csv(&report, t),
        TableFormat::Ndjson => export::to_ndjson(&report, t),
    };
    match (dir, table) {
        (None, None) => anyhow::bail!("choose a table (--table claims|carriers|figures|timeline|sources) or a folder for all five (--out DIR)"),
        (None, Some(t)) => write!(out, "{}", body((*t).into()))?,
        (Some(dir), tables) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating {}", dir.display()))?;
            let chosen: Vec<Table> = match tables {
                Some(t) => vec![(*t).into()],
                None => Table::ALL.to_vec(),
            };
            let ext = match format {
                TableFormat::Csv => "csv",
                TableFormat::Ndjson => "ndjson",
            };
            for t in chosen {
                let path = dir.join(format!("{}-{}.{ext}", report.id.as_str(), t.name()));
                std::fs::write(&path, body(t))
                    .with_context(|| format!("writing {}", path.display()))?;
                if !g.quiet {
                    eprintln!("corroborate: wrote {}", path.display());
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `report`: one stored story's report.
pub(crate) fn report(g: &Global, mut out: Out<'_>, args: &ReportArgs) -> Result<ExitCode> {
    let ReportArgs {
        story_id,
        format,
        json,
    } = args;
    let format = if *json { &Format::Json } else { format };
    let report = stored_report(g, story_id)?;
    writeln!(out, "{}", render(&report, (*format).into()))?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `reanalyze`: re-extract every stored raw input and analyse from scratch.
pub(crate) fn reanalyze(g: &Global, mut out: Out<'_>, args: &ReanalyzeArgs) -> Result<ExitCode> {
    let ReanalyzeArgs { json } = args;
    let mut engine = open_existing(g)?;
    let bar = progress::Bar::new(g.quiet);
    let (summary, reports) = engine.reanalyze(&bar)?;
    if *json {
        let mut v = serde_json::to_value(&summary)?;
        v["stories"] = reports.len().into();
        writeln!(out, "{v}")?;
    } else if !g.quiet {
        writeln!(
            out,
            "{} re-extracted ({} changed, {} refused and kept as stored); {} {}",
            summary.read,
            summary.changed,
            summary.refused,
            reports.len(),
            if reports.len() == 1 {
                "story"
            } else {
                "stories"
            }
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `stance`: judge articles or pairs.
pub(crate) fn stance(g: &Global, mut out: Out<'_>, args: &StanceArgs) -> Result<ExitCode> {
    let StanceArgs {
        claim,
        pairs,
        paths,
    } = args;
    let problems = match (claim, pairs) {
        (Some(c), _) => stance::articles(c, paths, g.max_size, &mut out)?,
        (None, Some(p)) => stance::pairs(p, &mut out)?,
        (None, None) => unreachable!("clap requires --claim or --pairs"),
    };
    out.flush()?;
    Ok(if problems > 0 {
        ExitCode::from(EXIT_INPUT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    })
}

/// `extract`: extraction only, one JSON object a line.
pub(crate) fn extract(g: &Global, mut out: Out<'_>, args: &ExtractArgs) -> Result<ExitCode> {
    let ExtractArgs { paths, .. } = args;
    let mut problems = 0;
    let articles = corroborate_engine::extract_inputs(paths, g.max_size, &mut |i| {
        problems += usize::from(i.severity() != Severity::Warning);
        report_issue(&i)
    });
    for a in articles {
        let line = serde_json::json!({
            "source": a.source, "url": a.url, "title": a.title,
            "published": a.published.map(|t| t.to_rfc3339()), "author": a.author, "site": a.site,
            "language": a.language, "text": a.text,
        });
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(if problems > 0 {
        ExitCode::from(EXIT_INPUT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    })
}

/// `claims`: statements, figures and dates per document.
pub(crate) fn claims(g: &Global, mut out: Out<'_>, args: &ClaimsArgs) -> Result<ExitCode> {
    let ClaimsArgs { raw, json, paths } = args;
    let mut problems = 0;
    let docs = corroborate_engine::annotate_inputs(paths, *raw, g.max_size, &mut |i| {
        problems += usize::from(i.severity() != Severity::Warning);
        report_issue(&i)
    });
    for d in docs {
        if *json {
            writeln!(out, "{}", serde_json::to_string(&d)?)?;
        } else {
            writeln!(out, "== {}", d.source)?;
            for s in &d.annotations.statements {
                writeln!(
                    out,
                    "  {} {}{}: {}",
                    if s.direct { "quote " } else { "report" },
                    s.speaker.as_ref().map_or("?", |x| x.name.as_str()),
                    s.channel
                        .as_deref()
                        .map(|c| format!(" via {c}"))
                        .unwrap_or_default(),
                    s.text
                )?;
            }
            for f in &d.annotations.figures {
                writeln!(
                    out,
                    "  figure {} {}",
                    f.text,
                    f.what.as_deref().or(f.unit.as_deref()).unwrap_or("")
                )?;
            }
            for x in &d.annotations.dates {
                writeln!(out, "  date   {} = {}", x.text, x.value)?;
            }
        }
    }
    out.flush()?;
    Ok(if problems > 0 {
        ExitCode::from(EXIT_INPUT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    })
}

/// `match`: known claims matching a statement.
pub(crate) fn match_claims(g: &Global, mut out: Out<'_>, args: &MatchArgs) -> Result<ExitCode> {
    let MatchArgs {
        against,
        top,
        lexical,
        model,
        json,
        queries,
    } = args;
    use corroborate_engine::matching::{read_claims_jsonl, stored_claims, ClaimMatcher};
    let entries = match against {
        Some(path) => read_claims_jsonl(path)?,
        None => stored_claims(open_existing(g)?.store())?,
    };
    if entries.is_empty() {
        anyhow::bail!(
            "no claims to match against: pass --against FILE, or run `corroborate analyze` first"
        );
    }
    let embedder = if *lexical {
        None
    } else {
        match corroborate_embed::locate(model.as_deref())
            .map(|dir| corroborate_embed::Embedder::load(&dir))
        {
            Some(Ok(m)) => Some(m),
            // Asked for by name: say why it is not used.
            Some(Err(e)) if model.is_some() || corroborate_embed::available() => {
                eprintln!("warning: lexical matching only: {e}");
                None
            }
            _ => None,
        }
    };
    let matcher = ClaimMatcher::new(entries, embedder)?;
    let mut lines = Vec::new();
    for q in queries {
        if q == "-" {
            for l in io::stdin().lock().lines() {
                let l = l?;
                if !l.trim().is_empty() {
                    lines.push(l);
                }
            }
        } else {
            lines.push(q.clone());
        }
    }
    for q in &lines {
        let matches = matcher.rank(q, *top)?;
        if *json {
            let v = serde_json::json!({ "query": q, "matches": matches });
            writeln!(out, "{v}")?;
        } else {
            writeln!(out, "== {q}")?;
            for m in &matches {
                writeln!(out, "  {:>6.3}  [{}] {}", m.score, m.id, m.text)?;
            }
        }
    }
    out.flush()?;
    if !g.quiet {
        eprintln!(
            "{} queries against {} claims ({})",
            lines.len(),
            matcher.entries().len(),
            if matcher.uses_embeddings() {
                "BM25 + sentence embeddings"
            } else {
                "BM25"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `cluster`: clustering only, over a JSONL file.
pub(crate) fn cluster(mut out: Out<'_>, args: &ClusterArgs) -> Result<ExitCode> {
    let ClusterArgs {
        input,
        id_field,
        text_field,
        title_field,
        time_field,
        lang_field,
        profile,
        threshold,
        window,
        merge_threshold,
        size_prior,
        split_threshold,
        sequence_split_threshold,
        final_labels,
    } = args;
    let mut fields = corroborate_engine::ClusterFields {
        id: id_field.clone(),
        text: text_field.clone(),
        title: title_field.clone(),
        time: time_field.clone(),
        lang: lang_field.clone(),
        ..Default::default()
    };
    let reader: Box<dyn BufRead> = if input.as_os_str() == "-" {
        Box::new(io::BufReader::new(io::stdin()))
    } else {
        Box::new(io::BufReader::new(
            std::fs::File::open(input).with_context(|| format!("opening {}", input.display()))?,
        ))
    };
    let profile_arg = profile;
    let (reader, chosen) = match profile {
        ProfileArg::Articles => (reader, Profile::Articles),
        ProfileArg::ShortTexts => (reader, Profile::ShortTexts),
        ProfileArg::Auto => {
            let (p, r) = corroborate_engine::sample_profile(reader, &fields)?;
            (r, p)
        }
    };
    let config = corroborate_engine::Overrides {
        join_threshold: *threshold,
        window: *window,
        merge_threshold: *merge_threshold,
        size_prior: *size_prior,
        split_threshold: *split_threshold,
        sequence_split_threshold: *sequence_split_threshold,
    }
    .apply(chosen.config());
    if *profile_arg == ProfileArg::Auto {
        eprintln!(
            "corroborate: {} by their length (--profile {})",
            match chosen {
                Profile::Articles => "articles",
                Profile::ShortTexts => "short texts",
            },
            chosen.name()
        );
    }
    fields.config = config;
    let mut problems = 0;
    // With --final, the ids in order: the n-th assigned record is
    // the clusterer's n-th article.
    let mut held: Vec<serde_json::Value> = Vec::new();
    let clusterer = corroborate_engine::cluster_jsonl(
        reader,
        &input.display().to_string(),
        &fields,
        &mut |event| match event {
            ClusterEvent::Assigned { id, .. } if *final_labels => {
                held.push(id.clone());
                Ok(())
            }
            ClusterEvent::Assigned { id, story } => {
                writeln!(out, "{}", serde_json::json!({ "id": id, "story": story }))
            }
            ClusterEvent::Merged { .. } | ClusterEvent::Split { .. } if *final_labels => Ok(()),
            ClusterEvent::Merged { at, merge } => writeln!(
                out,
                "{}",
                serde_json::json!({ "merge": { "at": at, "absorbed": merge.absorbed, "into": merge.into, "reason": merge.reason } })
            ),
            ClusterEvent::Split { at, split, moved } => writeln!(
                out,
                "{}",
                serde_json::json!({ "split": { "at": at, "from": split.from, "new": split.new, "moved": moved, "reason": split.reason } })
            ),
        },
        &mut |i| {
            problems += 1;
            report_issue(&i)
        },
    )?;
    for (n, id) in held.into_iter().enumerate() {
        let story = clusterer.story_of_doc(n);
        writeln!(out, "{}", serde_json::json!({ "id": id, "story": story }))?;
    }
    out.flush()?;
    Ok(if problems > 0 {
        ExitCode::from(EXIT_INPUT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    })
}

/// `serve`: the web UI and API.
pub(crate) fn serve(g: &Global, out: Out<'_>, args: &ServeArgs) -> Result<ExitCode> {
    let ServeArgs { addr, web, queue } = args;
    drop(out);
    let mut options = web.serve_options();
    options.queue = queue.config();
    if options.queue.is_none() {
        open(g)?.refresh()?; // analyse what arrived since the last run
    }
    corroborate_server::run_with(&g.db, *addr, options).context("serving")?;
    Ok(ExitCode::SUCCESS)
}
