fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args().skip(1).map(Into::into).collect();
    let got = crosscheck_ingest::read_paths(&paths, true);
    for d in &got.documents {
        println!("== {} | {} | title={:?} outlet={:?} url={:?} pub={:?} lang={:?} authors={:?}", d.id, d.source, d.title, d.outlet, d.url, d.published, d.language, d.authors);
        for b in &d.blocks {
            let t = d.block_text(b);
            let short: String = t.chars().take(90).collect();
            println!("  {:?}: {}", b.kind, short);
        }
    }
    for s in &got.skipped { println!("SKIP {} : {}", s.source, s.reason); }
}
