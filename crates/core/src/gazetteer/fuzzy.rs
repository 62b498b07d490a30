//! Keys of the name index within a small edit distance of a query: a depth-first walk of the fst
//! that carries one row of the edit-distance table per step and abandons a branch as soon as
//! every entry of its row exceeds the limit. Distances count characters (not bytes), and a swap
//! of two neighbouring letters counts as one edit (optimal string alignment), the commonest typo.
//! The first letter must match (the first two for a two-edit search): writers rarely get them
//! wrong, and fixing them keeps a search over a world gazetteer within tens of microseconds.

use fst::raw::{Fst, Node};

/// A key within the limit, with its distance and its fst value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzyHit {
    pub key: String,
    pub distance: u32,
    pub value: u64,
}

struct Walk<'q, 'f, D: AsRef<[u8]>> {
    fst: &'f Fst<D>,
    query: &'q [char],
    max: u32,
    key: Vec<u8>,
    hits: Vec<FuzzyHit>,
    limit: usize,
}

/// Longest query searched, in characters; the table rows live on the stack.
const MAX_QUERY: usize = 47;
type Row = [u32; MAX_QUERY + 1];

/// Keys within `max` edits of `query`, nearest first, at most `limit` of them. Queries longer
/// than `MAX_QUERY` characters find nothing.
pub fn search<D: AsRef<[u8]>>(fst: &Fst<D>, query: &str, max: u32, limit: usize) -> Vec<FuzzyHit> {
    let q: Vec<char> = query.chars().collect();
    if q.len() > MAX_QUERY {
        return Vec::new();
    }
    // The first letter, and for two edits the first two, are walked directly: no edit there.
    let fixed = if max >= 2 { 2 } else { 1 }.min(q.len());
    if fixed == 0 {
        return Vec::new();
    }
    let (mut node, mut out) = (fst.root(), 0u64);
    let mut key = Vec::new();
    for &c in &q[..fixed] {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            let Some(i) = node.find_input(b) else {
                return Vec::new();
            };
            let t = node.transition(i);
            out += t.out.value();
            node = fst.node(t.addr);
            key.push(b);
        }
    }
    let mut walk = Walk {
        fst,
        query: &q,
        max,
        key,
        hits: Vec::new(),
        limit: limit.max(1) * 4,
    };
    let mut before: Row = [max + 1; MAX_QUERY + 1];
    for (j, v) in before.iter_mut().enumerate().take(q.len() + 1) {
        *v = j as u32;
    }
    let (mut row, mut row_min) = walk.step(&before, None, None, q[0], 1);
    for depth in 2..=fixed {
        let (next, min) = walk.step(&row, Some(&before), Some(q[depth - 2]), q[depth - 1], depth);
        before = row;
        (row, row_min) = (next, min);
    }
    let last = q[fixed - 1];
    walk.visit(
        node,
        out,
        &row,
        row_min,
        Some((&before, last)),
        Some(last),
        0,
        fixed,
    );
    let mut hits = walk.hits;
    hits.sort_by(|a, b| a.distance.cmp(&b.distance).then_with(|| a.key.cmp(&b.key)));
    hits.truncate(limit);
    hits
}

impl<'f, D: AsRef<[u8]>> Walk<'_, 'f, D> {
    /// `row` is the table row for the key so far (complete characters only); `pending` counts
    /// bytes of a character not yet complete; `prev` holds the previous row and its last char,
    /// for transpositions.
    // The walk's state is passed by value so the recursion allocates nothing.
    #[allow(clippy::too_many_arguments)]
    fn visit(
        &mut self,
        node: Node<'f>,
        out: u64,
        row: &Row,
        row_min: u32,
        prev: Option<(&Row, char)>,
        last: Option<char>,
        pending: usize,
        depth: usize,
    ) {
        if self.hits.len() >= self.limit {
            return;
        }
        if pending == 0 && node.is_final() && row[self.query.len()] <= self.max {
            if let Ok(key) = std::str::from_utf8(&self.key) {
                self.hits.push(FuzzyHit {
                    key: key.to_string(),
                    distance: row[self.query.len()],
                    value: out + node.final_output().value(),
                });
            }
        }
        if pending == 0 && row_min == self.max {
            self.visit_exhausted(node, out, row, prev, last);
            return;
        }
        for t in node.transitions() {
            self.key.push(t.inp);
            let out = out + t.out.value();
            let start = self.key.len() - pending - 1;
            // Nodes are decoded only for branches that survive: most are cut at their first byte.
            match std::str::from_utf8(&self.key[start..]) {
                Ok(s) => {
                    let c = s.chars().next().unwrap_or('\u{FFFD}');
                    let (new, min) = self.step(row, prev.map(|(r, _)| r), last, c, depth + 1);
                    if min <= self.max {
                        let next = self.fst.node(t.addr);
                        self.visit(next, out, &new, min, Some((row, c)), Some(c), 0, depth + 1);
                    }
                }
                // An incomplete UTF-8 sequence: wait for its next byte (at most 4 in all).
                Err(e) if e.error_len().is_none() && pending < 3 => {
                    let next = self.fst.node(t.addr);
                    self.visit(next, out, row, row_min, prev, last, pending + 1, depth);
                }
                Err(_) => {}
            }
            self.key.pop();
        }
    }

    /// Every edit is spent: the rest of the key must spell the rest of the query exactly, from a
    /// cell of the row at the limit, or finish a swap of neighbours and then do so. Those few
    /// suffixes are walked directly instead of trying every branch of every node below; most
    /// of a search's nodes are in this state.
    fn visit_exhausted(
        &mut self,
        node: Node<'f>,
        out: u64,
        row: &Row,
        prev: Option<(&Row, char)>,
        last: Option<char>,
    ) {
        let q = self.query;
        for j in 0..=q.len() {
            if row[j] == self.max {
                self.walk_suffix(node, out, None, &q[j..], self.max);
            }
        }
        if let (Some((pr, _)), Some(l)) = (prev, last) {
            for j in 2..=q.len() {
                if q[j - 1] == l && pr[j - 2] < self.max {
                    self.walk_suffix(node, out, Some(q[j - 2]), &q[j..], pr[j - 2] + 1);
                }
            }
        }
    }

    /// Follows `first` (if any) then `rest` from `node`; a key ending there is a hit at `distance`.
    fn walk_suffix(
        &mut self,
        mut node: Node<'f>,
        mut out: u64,
        first: Option<char>,
        rest: &[char],
        distance: u32,
    ) {
        let start = self.key.len();
        for c in first.iter().chain(rest) {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                let Some(i) = node.find_input(b) else {
                    self.key.truncate(start);
                    return;
                };
                let t = node.transition(i);
                out += t.out.value();
                node = self.fst.node(t.addr);
                self.key.push(b);
            }
        }
        if node.is_final() && self.hits.len() < self.limit {
            if let Ok(key) = std::str::from_utf8(&self.key) {
                if !self.hits.iter().any(|h| h.key == key) {
                    self.hits.push(FuzzyHit {
                        key: key.to_string(),
                        distance,
                        value: out + node.final_output().value(),
                    });
                }
            }
        }
        self.key.truncate(start);
    }

    /// The table row after appending `c` (the key's `depth`-th character) to the key. Only the
    /// band of columns within `max` of the diagonal is computed: cells outside it exceed `max`
    /// anyway, and `max + 1` stands in for them.
    fn step(
        &self,
        row: &Row,
        prev_row: Option<&Row>,
        last: Option<char>,
        c: char,
        depth: usize,
    ) -> (Row, u32) {
        let q = self.query;
        let far = self.max + 1;
        let mut new: Row = [far; MAX_QUERY + 1];
        let band = self.max as usize;
        let mut min = far;
        if depth <= band {
            new[0] = depth as u32;
            min = new[0];
        }
        let lo = depth.saturating_sub(band).max(1);
        let hi = (depth + band).min(q.len());
        for j in lo..=hi {
            let cost = u32::from(q[j - 1] != c);
            let mut d = (row[j] + 1).min(new[j - 1] + 1).min(row[j - 1] + cost);
            if let (Some(pr), Some(l)) = (prev_row, last) {
                if j > 1 && q[j - 1] == l && q[j - 2] == c {
                    d = d.min(pr[j - 2] + 1);
                }
            }
            new[j] = d.min(far);
            min = min.min(new[j]);
        }
        (new, min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(keys: &[&str]) -> Fst<Vec<u8>> {
        let mut sorted: Vec<&str> = keys.to_vec();
        sorted.sort();
        let mut b = fst::raw::Builder::memory();
        for (i, k) in sorted.iter().enumerate() {
            b.insert(k, i as u64 + 100).unwrap();
        }
        Fst::new(b.into_inner().unwrap()).unwrap()
    }

    fn keys(hits: &[FuzzyHit]) -> Vec<(&str, u32)> {
        hits.iter().map(|h| (h.key.as_str(), h.distance)).collect()
    }

    #[test]
    fn finds_substitutions_insertions_deletions_and_swaps() {
        let f = index(&["bakhmut", "kharkiv", "zherebets", "lyman", "kherson"]);
        assert_eq!(keys(&search(&f, "bakhmutt", 1, 10)), [("bakhmut", 1)]);
        assert_eq!(keys(&search(&f, "kharkhiv", 1, 10)), [("kharkiv", 1)]);
        assert!(search(&f, "zherberets", 1, 10).is_empty());
        assert_eq!(keys(&search(&f, "zherberets", 2, 10)), [("zherebets", 2)]);
        assert_eq!(keys(&search(&f, "bakhumt", 1, 10)), [("bakhmut", 1)]);
        assert_eq!(keys(&search(&f, "bkhmut", 1, 10)), [("bakhmut", 1)]);
        assert!(search(&f, "bakhmxyz", 2, 10).is_empty());
    }

    #[test]
    fn counts_characters_not_bytes_and_returns_values() {
        let f = index(&["харків", "харьков", "kyiv"]);
        let hits = search(&f, "харкив", 1, 10);
        assert_eq!(keys(&hits), [("харків", 1)]);
        let exact = search(&f, "kyiv", 0, 10);
        assert_eq!(exact.len(), 1);
        assert_eq!(exact[0].value, 100);
    }

    #[test]
    fn nearest_first_and_limited() {
        let f = index(&["lyman", "lymany", "lymar", "liman"]);
        let hits = search(&f, "lyman", 1, 10);
        assert_eq!(
            hits[0],
            FuzzyHit {
                key: "lyman".into(),
                distance: 0,
                value: 101
            }
        );
        assert_eq!(hits.len(), 4);
        assert_eq!(search(&f, "lyman", 1, 2).len(), 2);
    }
}
