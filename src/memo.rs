//! Per-thread memos of what the gazetteer says of a name. Archives name the same places over and
//! over ("Kyiv", "the U.S."); asking the index once per thread and name instead of once per
//! mention is most of `places`' speed on a batch. Each memo belongs to one gazetteer (it starts
//! afresh when another is used) and is emptied when it holds `CAPACITY` names, so memory stays
//! bounded on any archive.

use std::cell::RefCell;
use std::thread::LocalKey;

use rustc_hash::FxHashMap;

use crate::{Gazetteer, Result};

/// Names kept per memo and thread before it starts afresh.
const CAPACITY: usize = 200_000;

pub struct Memo<V> {
    gazetteer: u64,
    /// Fx, not SipHash: the keys are the text's own words, hashed once per capitalised word.
    map: FxHashMap<String, V>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo {
            gazetteer: 0,
            map: FxHashMap::default(),
        }
    }
}

/// `compute()` for `key` on `gaz`, remembered in `cell`. Errors are not remembered.
pub fn remember<V: Clone + 'static>(
    cell: &'static LocalKey<RefCell<Memo<V>>>,
    gaz: &Gazetteer,
    key: &str,
    compute: impl FnOnce() -> Result<V>,
) -> Result<V> {
    let id = gaz.instance();
    let hit = cell.with(|m| {
        let mut m = m.borrow_mut();
        if m.gazetteer != id {
            m.map.clear();
            m.gazetteer = id;
        }
        m.map.get(key).cloned()
    });
    if let Some(v) = hit {
        return Ok(v);
    }
    let v = compute()?;
    cell.with(|m| {
        let mut m = m.borrow_mut();
        if m.map.len() >= CAPACITY {
            m.map.clear();
        }
        m.map.insert(key.to_string(), v.clone());
    });
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SQUARES: RefCell<Memo<usize>> = RefCell::new(Memo::default());
    }

    #[test]
    fn a_value_is_computed_once_per_name_and_errors_are_not_kept() {
        let gaz = crate::embedded::gazetteer().unwrap();
        let mut calls = 0;
        for _ in 0..3 {
            let v = remember(&SQUARES, gaz, "seven", || {
                calls += 1;
                Ok(49)
            });
            assert_eq!(v.unwrap(), 49);
        }
        assert_eq!(calls, 1);
        let failed = remember(&SQUARES, gaz, "bad", || {
            Err(crate::Error::Build("no".into()))
        });
        assert!(failed.is_err());
        assert_eq!(remember(&SQUARES, gaz, "bad", || Ok(1)).unwrap(), 1);
    }
}
