//! HTML input: tags, comments, doctypes, scripts and styles blanked out, character references
//! decoded, and every character kept in its place, so the character offsets `places` and `map`
//! report into the text are offsets into the HTML file as well. A tag is replaced by as many
//! spaces as it has characters; a block tag (`<p>`, `<br>`, `<h2>`, `<li>`...) begins with two
//! line breaks, so it ends the sentence before it; a character reference (`&amp;`, `&#8217;`,
//! `&ampx`) becomes the one or two characters it stands for followed by spaces up to its own
//! length, so the text after it keeps its offsets. Line breaks are kept as they are (`\r\n` is not
//! folded), inside blanked content too.
//!
//! The markup is found by [`html5gum`], a tokenizer that implements the WHATWG HTML spec's
//! tokenization (it passes html5lib's tokenizer tests), rather than by hand: it knows that a
//! `<script>` or `<style>` body is raw text up to its end tag (`for(i=0;i<n;i++)` is no tag), that
//! a lone `<` is text, and it runs in one linear pass whatever the input (200,000 unclosed `<` take
//! milliseconds). It was chosen over html5ever's tokenizer and lol_html because it reports each
//! token's byte span in the source, which is what keeping offsets needs; it has no dependencies
//! and no unsafe code. Its state switches for `<script>`, `<style>`, `<textarea>`, `<title>` and
//! the like are the spec's "naive" ones (no tree construction), enough for reading text.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// Tags after which a new paragraph starts.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"br",
    b"div",
    b"li",
    b"ul",
    b"ol",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"tr",
    b"td",
    b"th",
    b"table",
    b"blockquote",
    b"section",
    b"article",
    b"header",
    b"footer",
    b"title",
    b"hr",
    b"figcaption",
];

/// Elements whose content is not text for a reader.
const HIDDEN: &[&[u8]] = &[b"script", b"style", b"noscript", b"template"];

/// Elements whose content the tokenizer reads as raw text: character references in it are not
/// references.
const RAW: &[&[u8]] = &[
    b"script",
    b"style",
    b"iframe",
    b"xmp",
    b"noembed",
    b"noframes",
    b"noscript",
    b"plaintext",
];

/// The longest character reference looked at (the longest named one, `&CounterClockwiseContourIntegral;`, has 33 characters).
const MAX_REFERENCE: usize = 40;

/// The readable text of `html`, with exactly as many characters.
pub fn strip(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    // The element whose content is hidden, and whether its content is raw text.
    let mut hidden: Option<Vec<u8>> = None;
    let mut raw = false;
    let mut pos = 0;
    for token in Tokenizer::new_with_emitter(html, emitter) {
        // The string reader never fails.
        let Ok(token) = token;
        let span = match &token {
            Token::StartTag(t) => t.span,
            Token::EndTag(t) => t.span,
            Token::String(s) => s.span,
            Token::Comment(c) => c.span,
            Token::Doctype(d) => d.span,
            Token::Error(_) => continue,
        };
        let (start, end) = (span.start.max(pos), span.end.min(html.len()));
        if start >= end {
            continue;
        }
        // Whatever the tokenizer dropped (an unfinished tag at the end, say) is no text either.
        blank(&mut out, &html[pos..start], false);
        let source = &html[start..end];
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.as_slice();
                raw = RAW.contains(&name);
                // `<script/>` is no empty script: the tokenizer, as browsers do, reads on to
                // `</script>`. Only `<template/>` ends where it starts.
                if hidden.is_none() && HIDDEN.contains(&name) && (raw || !tag.self_closing) {
                    hidden = Some(name.to_vec());
                }
                blank(&mut out, source, BLOCKS.contains(&name));
            }
            Token::EndTag(tag) => {
                let name = tag.name.as_slice();
                if hidden.as_deref() == Some(name) {
                    hidden = None;
                }
                raw = false;
                blank(&mut out, source, BLOCKS.contains(&name));
            }
            Token::String(_) if hidden.is_some() => blank(&mut out, source, false),
            Token::String(_) if raw => out.push_str(source),
            Token::String(_) => text(&mut out, source),
            _ => blank(&mut out, source, false),
        }
        pos = end;
    }
    blank(&mut out, &html[pos..], false);
    out
}

/// `source` as spaces, its line breaks kept; a block tag's first two characters are line breaks.
fn blank(out: &mut String, source: &str, block: bool) {
    for (k, c) in source.chars().enumerate() {
        out.push(match c {
            _ if block && k < 2 => '\n',
            '\n' | '\r' => c,
            _ => ' ',
        });
    }
}

/// A run of text as it stands, its character references decoded in place. An empty end tag
/// (`</>`), which the tokenizer drops, is blanked.
fn text(out: &mut String, source: &str) {
    let mut rest = source;
    while let Some(at) = rest.find(['&', '<']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("</>") {
            blank(out, "</>", false);
            rest = after;
            continue;
        }
        if rest.starts_with('<') {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        let taken = reference(out, rest);
        rest = &rest[taken..];
    }
    out.push_str(rest);
}

/// Decodes the character reference at the start of `rest` (which starts with `&`) as the
/// tokenizer reads it, writing its characters and blanks for the rest of its length; returns the
/// bytes it took (1 when it is no reference: the `&` stays).
fn reference(out: &mut String, rest: &str) -> usize {
    let mut end = 1;
    for (i, c) in rest.char_indices().skip(1) {
        if i > MAX_REFERENCE || !(c.is_ascii_alphanumeric() || c == '#') {
            end = i + usize::from(c == ';');
            break;
        }
        end = i + c.len_utf8();
    }
    let candidate = &rest[..end];
    // The tokenizer decodes the candidate alone, as it would in running text; what it leaves of
    // the candidate's end (`&ampx` gives `&` and `x`) is not part of the reference.
    let mut decoded = String::new();
    for token in Tokenizer::new(candidate).flatten() {
        if let Token::String(s) = token {
            decoded.push_str(&String::from_utf8_lossy(&s.value));
        }
    }
    let common = candidate
        .chars()
        .rev()
        .zip(decoded.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let kept: String = decoded
        .chars()
        .take(decoded.chars().count() - common)
        .collect();
    let taken: usize = candidate
        .chars()
        .take(candidate.chars().count() - common)
        .map(char::len_utf8)
        .sum();
    let width = candidate[..taken].chars().count();
    if taken == 0 || kept.chars().count() > width {
        out.push('&');
        return 1;
    }
    out.push_str(&kept);
    for _ in kept.chars().count()..width {
        out.push(' ');
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_length(html: &str) -> String {
        let text = strip(html);
        assert_eq!(text.chars().count(), html.chars().count(), "{html:?}");
        text
    }

    #[test]
    fn tags_go_and_offsets_stay() {
        let html = "<html><head><title>Report</title><style>p{}</style></head><body><p>Shelling hit <b>Kupiansk</b> &amp; Izium.</p><!-- x --><script>var a='<p>';</script></body></html>";
        let text = same_length(html);
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
            same_length("a &lt; b &#8217;s &#x41;"),
            "a <    b ’      s A     "
        );
        assert_eq!(
            same_length("3 < 4 and &unknown; stays"),
            "3 < 4 and &unknown; stays"
        );
        assert_eq!(same_length("&ampx &notit; x"), "&   x ¬   it; x");
        assert_eq!(same_length("&acE; é"), "∾\u{333}    é");
        assert_eq!(same_length("a </> b & c"), "a     b & c");
    }

    #[test]
    fn a_script_comparison_is_no_tag() {
        let html = "<script>for(var i=0;i<n;i++){}</script><p>Russian forces shelled Kharkiv.</p>";
        let text = same_length(html);
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Russian", "forces", "shelled", "Kharkiv."]
        );
        assert_eq!(text.find("Kharkiv"), html.find("Kharkiv"));
    }

    #[test]
    fn a_self_closed_script_still_runs_to_its_end_tag() {
        let text = same_length("<script src=x /><p>Kharkiv</p></script><p>Kyiv</p><template/>Lviv");
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Kyiv", "Lviv"]
        );
    }

    #[test]
    fn unclosed_brackets_are_text_and_linear() {
        let html = "<".repeat(200_000) + " Kharkiv";
        let text = same_length(&html);
        assert!(text.ends_with(" Kharkiv"));
        assert_eq!(same_length("x <a href='y'"), format!("x{}", " ".repeat(12)));
        assert_eq!(same_length("a\r\n<b\nc>d"), "a\r\n  \n  d");
    }
}
