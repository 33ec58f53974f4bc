use crosscheck_model::Analysis;

/// One row per document read: what `analyze` saw before any analysis.
pub fn documents_table(analysis: &Analysis) -> String {
    fn cell(s: &str, width: usize) -> String {
        let s: String = s.chars().filter(|c| !c.is_control()).collect();
        if s.chars().count() <= width {
            format!("{s:<width$}")
        } else {
            let cut: String = s.chars().take(width - 1).collect();
            format!("{cut}…")
        }
    }
    let mut out = format!(
        "{} {} {} {:>6} {:>5}\n",
        cell("OUTLET", 24),
        cell("TITLE", 48),
        cell("DATE", 10),
        "WORDS",
        "PARAS"
    );
    for d in &analysis.documents {
        out.push_str(&format!(
            "{} {} {} {:>6} {:>5}\n",
            cell(d.outlet_or_source(), 24),
            cell(d.title.as_deref().unwrap_or("-"), 48),
            cell(
                d.published
                    .as_deref()
                    .map_or("-", |p| p.get(..10).unwrap_or(p)),
                10
            ),
            d.word_count(),
            d.paragraphs().count()
        ));
    }
    out.push_str(&format!(
        "{} documents, {} inputs skipped\n",
        analysis.documents.len(),
        analysis.skipped.len()
    ));
    out
}
