use crosscheck_model::{BlockKind, Document};
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = Document::from_blocks(path.clone(), path.clone(), text.lines().map(|l| (BlockKind::Paragraph, l)));
        let sents = crosscheck_text::segment(&doc);
        let t = std::time::Instant::now();
        let claims = crosscheck_claims::extract(&doc, &sents);
        eprintln!("{} claims in {:?}", claims.len(), t.elapsed());
        for c in claims {
            println!("{:>3} {:?} [{}] = {} {:?}  «{}»", c.sentence, c.kind, c.slot, c.value, c.qualifier.unwrap_or_default(), c.text);
        }
    }
}
