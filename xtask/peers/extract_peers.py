"""Peer runs for `cargo xtask bench-extract`, executed inside a throwaway
virtualenv that the xtask creates (trafilatura, htmldate, inscriptis from
PyPI). Reads the same gzip pages as our extractor, writes JSON lines.

usage: extract_peers.py CASES_JSON BENCH_DIR MODE OUT_JSONL
  MODE = trafilatura | text | htmldate
"""
import gzip, json, sys, time, os

cases_path, bench_dir, mode, out_path = sys.argv[1:5]
cases = json.load(open(cases_path))

def html_of(case):
    # Decoded as trafilatura decodes a page (declared charset, then
    # detection), not as UTF-8 with replacement: 27 of the 990 extraction
    # pages are in another encoding, and every peer should read them whole.
    from trafilatura.utils import decode_file
    raw = gzip.open(os.path.join(bench_dir, case["file"])).read()
    return decode_file(raw)

pages = [(c, html_of(c)) for c in cases]
with open(out_path, "w") as out:
    if mode == "trafilatura":
        import trafilatura
        t0 = time.perf_counter()
        for c, html in pages:
            s = time.perf_counter()
            text = trafilatura.extract(html, url=c.get("url")) or ""
            out.write(json.dumps({"id": c["id"], "text": text, "seconds": time.perf_counter() - s}) + "\n")
        sys.stderr.write(f"trafilatura: {len(pages)} pages in {time.perf_counter() - t0:.1f} s\n")
    elif mode == "text":
        # All visible text, line breaks at block elements, as a text browser shows it.
        from inscriptis import get_text
        for c, html in pages:
            try:
                text = get_text(html)
            except Exception:
                text = ""
            out.write(json.dumps({"id": c["id"], "text": text}) + "\n")
    elif mode == "htmldate":
        from htmldate import find_date
        for c, html in pages:
            try:
                d = find_date(html, url=c.get("url"), extensive_search=True, original_date=True)
            except Exception:
                d = None
            out.write(json.dumps({"id": c["id"], "date": d}) + "\n")
    else:
        sys.exit(f"unknown mode {mode}")
