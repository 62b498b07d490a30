//! Very long documents (a whole archive pasted as one line, a 100 MB dump) are read in windows of
//! about `WINDOW_BYTES`, cut at a line break or, failing that, a space, so memory stays bounded
//! whatever the document's size. Each window is its own context for resolution; offsets are
//! shifted back to the whole document's.

/// A window's size in bytes: above almost any article; the document-wide choice of readings
/// grows with the square of a window's mentions, so it stays small.
pub const WINDOW_BYTES: usize = 64 << 10;

/// (byte start, char start, text) of each window of `text`; one window when it is short.
pub fn windows(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let (mut byte, mut chars) = (0, 0);
    while byte < text.len() {
        let rest = &text[byte..];
        let take = cut(rest);
        let piece = &rest[..take];
        out.push((byte, chars, piece));
        byte += take;
        chars += piece.chars().count();
    }
    if out.is_empty() {
        out.push((0, 0, text));
    }
    out
}

/// The first `bytes` bytes of `text` or fewer, ending at a character boundary.
pub fn head(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The last `bytes` bytes of `text` or fewer, starting at a character boundary.
pub fn tail(text: &str, bytes: usize) -> &str {
    let mut start = text.len().saturating_sub(bytes);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// The length in bytes of the window at the start of `rest`, the rest of a text: all of it when
/// it is `WINDOW_BYTES` or shorter, else the head up to its last line break (failing that, its
/// last space), but half a window at least, so a text without breaks still moves on.
///
/// Only the first `WINDOW_BYTES` bytes of `rest` (and whether there are more) decide, so a reader
/// that holds a little over a window ahead of what it has cut cuts a stream exactly as `windows`
/// cuts the whole text (`input` relies on this to read a document in parts).
pub fn cut(rest: &str) -> usize {
    if rest.len() <= WINDOW_BYTES {
        return rest.len();
    }
    let head = head(rest, WINDOW_BYTES);
    let limit = head.len();
    match head.rfind('\n').or_else(|| head.rfind(' ')) {
        Some(cut) if cut >= limit / 2 => cut + 1,
        _ => limit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_one_window() {
        assert_eq!(windows("Kyiv"), [(0, 0, "Kyiv")]);
        assert_eq!(windows(""), [(0, 0, "")]);
    }

    #[test]
    fn long_text_is_cut_at_breaks_and_offsets_add_up() {
        let line = "Shelling hit Kupiansk — again. ";
        let text = line.repeat(3 * WINDOW_BYTES / line.len());
        let w = windows(&text);
        assert!(w.len() >= 3);
        let mut joined = String::new();
        for (byte, chars, piece) in &w {
            assert_eq!(*byte, joined.len());
            assert_eq!(*chars, joined.chars().count());
            assert!(piece.len() <= WINDOW_BYTES);
            joined.push_str(piece);
        }
        assert_eq!(joined, text);
        assert!(w[0].2.ends_with(' '));
    }
}
