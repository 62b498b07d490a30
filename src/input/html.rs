//! HTML input: tags, comments, scripts and styles blanked out, entities decoded, and every
//! character kept in its place, so the character offsets `places` and `map` report into the text
//! are offsets into the HTML file as well. A tag is replaced by as many spaces as it has
//! characters; a block tag (`<p>`, `<br>`, `<h2>`, `<li>`...) begins with two line breaks, so it
//! ends the sentence before it; an entity (`&amp;`) becomes its character followed by spaces.

/// Tags after which a new paragraph starts.
const BLOCKS: &[&str] = &[
    "p",
    "br",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "title",
    "hr",
    "figcaption",
];

/// Elements whose content is not text for a reader.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template"];

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

/// The readable text of `html`, with exactly as many characters.
pub fn strip(html: &str) -> String {
    let chars: Vec<char> = html.chars().collect();
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    let mut hidden: Option<String> = None;
    let blank = |out: &mut String, n: usize, block: bool| {
        for k in 0..n {
            out.push(if block && k < 2 { '\n' } else { ' ' });
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c == '<' {
            let end = if chars[i..].starts_with(&['<', '!', '-', '-']) {
                find(&chars, i + 4, &['-', '-', '>']).map(|e| e + 3)
            } else {
                find(&chars, i + 1, &['>']).map(|e| e + 1)
            };
            let Some(end) = end else {
                // A lone "<" is text.
                out.push(c);
                i += 1;
                continue;
            };
            let inner: String = chars[i + 1..end - 1].iter().collect();
            let closing = inner.starts_with('/');
            let tag: String = inner
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            match &hidden {
                Some(h) if closing && *h == tag => hidden = None,
                None if !closing && HIDDEN.contains(&tag.as_str()) && !inner.ends_with('/') => {
                    hidden = Some(tag.clone())
                }
                _ => {}
            }
            let n = end - i;
            blank(&mut out, n, BLOCKS.contains(&tag.as_str()) && n >= 2);
            i = end;
            continue;
        }
        if hidden.is_some() {
            out.push(if c == '\n' { '\n' } else { ' ' });
            i += 1;
            continue;
        }
        if c == '&' {
            if let Some(semi) = chars[i + 1..].iter().take(10).position(|&c| c == ';') {
                let name: String = chars[i + 1..i + 1 + semi].iter().collect();
                if let Some(decoded) = entity(&name) {
                    out.push(decoded);
                    blank(&mut out, semi + 1, false);
                    i += semi + 2;
                    continue;
                }
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn find(chars: &[char], from: usize, what: &[char]) -> Option<usize> {
    (from..chars.len()).find(|&k| chars[k..].starts_with(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_and_offsets_stay() {
        let html = "<html><head><title>Report</title><style>p{}</style></head><body><p>Shelling hit <b>Kupiansk</b> &amp; Izium.</p><!-- x --><script>var a='<p>';</script></body></html>";
        let text = strip(html);
        assert_eq!(text.chars().count(), html.chars().count());
        let at = html.find("Kupiansk").unwrap();
        let char_at = html[..at].chars().count();
        let got: String = text.chars().skip(char_at).take(8).collect();
        assert_eq!(got, "Kupiansk");
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(
            words,
            ["Report", "Shelling", "hit", "Kupiansk", "&", "Izium."]
        );
        assert!(
            text.contains("\n\nShelling") || text.contains("\n\n    "),
            "{text:?}"
        );
    }

    #[test]
    fn entities_and_lone_brackets() {
        assert_eq!(
            strip("a &lt; b &#8217;s &#x41;"),
            "a <    b ’      s A     "
        );
        assert_eq!(
            strip("3 < 4 and &unknown; stays"),
            "3 < 4 and &unknown; stays"
        );
    }
}
