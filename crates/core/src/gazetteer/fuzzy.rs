//! Keys of the name index within a small edit distance of a query: a depth-first walk of the fst
//! that carries one row of the edit-distance table per step and abandons a branch as soon as
//! every entry of its row exceeds the limit. Distances count characters (not bytes), and a swap
//! of two neighbouring letters counts as one edit (optimal string alignment), the commonest typo.

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

/// Keys within `max` edits of `query`, nearest first, at most `limit` of them.
pub fn search<D: AsRef<[u8]>>(fst: &Fst<D>, query: &str, max: u32, limit: usize) -> Vec<FuzzyHit> {
    let q: Vec<char> = query.chars().collect();
    let first: Vec<u32> = (0..=q.len() as u32).collect();
    let mut walk = Walk {
        fst,
        query: &q,
        max,
        key: Vec::new(),
        hits: Vec::new(),
        limit: limit.max(1) * 4,
    };
    walk.visit(fst.root(), 0, &first, None, None, 0);
    let mut hits = walk.hits;
    hits.sort_by(|a, b| a.distance.cmp(&b.distance).then_with(|| a.key.cmp(&b.key)));
    hits.truncate(limit);
    hits
}

impl<D: AsRef<[u8]>> Walk<'_, '_, D> {
    /// `row` is the table row for the key so far (complete characters only); `pending` counts
    /// bytes of a character not yet complete; `prev` holds the previous row and its last char,
    /// for transpositions.
    fn visit(
        &mut self,
        node: Node<'_>,
        out: u64,
        row: &[u32],
        prev: Option<(&[u32], char)>,
        last: Option<char>,
        pending: usize,
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
        for t in node.transitions() {
            self.key.push(t.inp);
            let next = self.fst.node(t.addr);
            let out = out + t.out.value();
            let start = self.key.len() - pending - 1;
            match std::str::from_utf8(&self.key[start..]) {
                Ok(s) => {
                    let c = s.chars().next().unwrap_or('\u{FFFD}');
                    let new = self.step(row, prev.map(|(r, _)| r), last, c);
                    if new.iter().min().is_some_and(|&m| m <= self.max) {
                        self.visit(next, out, &new, Some((row, c)), Some(c), 0);
                    }
                }
                // An incomplete UTF-8 sequence: wait for its next byte (at most 4 in all).
                Err(e) if e.error_len().is_none() && pending < 3 => {
                    self.visit(next, out, row, prev, last, pending + 1);
                }
                Err(_) => {}
            }
            self.key.pop();
        }
    }

    /// The table row after appending `c` to the key.
    fn step(&self, row: &[u32], prev_row: Option<&[u32]>, last: Option<char>, c: char) -> Vec<u32> {
        let q = self.query;
        let mut new = vec![row[0] + 1; q.len() + 1];
        for j in 1..=q.len() {
            let cost = u32::from(q[j - 1] != c);
            let mut d = (row[j] + 1).min(new[j - 1] + 1).min(row[j - 1] + cost);
            if let (Some(pr), Some(l)) = (prev_row, last) {
                if j > 1 && q[j - 1] == l && q[j - 2] == c {
                    d = d.min(pr[j - 2] + 1);
                }
            }
            new[j] = d;
        }
        new
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
