//! Memos of what the gazetteer says of a name. Archives name the same places over and over
//! ("Kyiv", "the U.S."); asking the index once per name instead of once per mention is most of
//! `places`' speed on a batch. Each memo has two layers: one per thread, read without locking,
//! and one shared by the threads behind a mutex, asked only when a thread meets a name for the
//! first time, so that a name is worked out once per run rather than once per thread. Each layer
//! belongs to one gazetteer (it starts afresh when another is used) and is emptied when it holds
//! `CAPACITY` names, so memory stays bounded on any archive.

use std::cell::RefCell;
use std::sync::Mutex;
use std::thread::LocalKey;

use compact_str::CompactString;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::{Gazetteer, Result};

/// Names kept per layer before it starts afresh.
const CAPACITY: usize = 200_000;

pub struct Memo<V> {
    gazetteer: u64,
    /// Fx, not SipHash: the keys are the text's own words, hashed once per capitalised word.
    /// Keys up to 24 bytes (nearly all names) sit in the table itself, so a hit reads no string
    /// from elsewhere in memory.
    map: FxHashMap<CompactString, V>,
}

impl<V> Memo<V> {
    pub const fn new() -> Self {
        Memo {
            gazetteer: 0,
            map: FxHashMap::with_hasher(FxBuildHasher),
        }
    }

    /// Starts afresh when the answers asked for are another gazetteer's.
    fn of(&mut self, gazetteer: u64) -> &mut Self {
        if self.gazetteer != gazetteer {
            self.map.clear();
            self.gazetteer = gazetteer;
        }
        self
    }

    fn get(&mut self, gazetteer: u64, key: &str) -> Option<&V> {
        self.of(gazetteer).map.get(key)
    }

    fn put(&mut self, gazetteer: u64, key: &str, v: V) {
        self.of(gazetteer);
        if self.map.len() >= CAPACITY {
            self.map.clear();
        }
        self.map.insert(CompactString::from(key), v);
    }
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo::new()
    }
}

/// The layer the threads share.
pub type Shared<V> = Mutex<Memo<V>>;

/// `compute()` for `key` on `gaz`, remembered in this thread's `local` and in `shared`. Errors
/// are not remembered.
pub fn remember<V: Clone + 'static>(
    local: &'static LocalKey<RefCell<Memo<V>>>,
    shared: &Shared<V>,
    gaz: &Gazetteer,
    key: &str,
    compute: impl FnOnce() -> Result<V>,
) -> Result<V> {
    let id = gaz.instance();
    if let Some(v) = local.with(|m| m.borrow_mut().get(id, key).cloned()) {
        return Ok(v);
    }
    // A poisoned lock means another thread panicked while holding it. A memo is only a cache,
    // and its map stays usable, so the run goes on with it.
    let found = shared
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(id, key)
        .cloned();
    let v = match found {
        Some(v) => v,
        None => {
            // Computed outside the lock: two threads may both work a name out, which costs time
            // once, not correctness.
            let v = compute()?;
            shared
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .put(id, key, v.clone());
            v
        }
    };
    local.with(|m| m.borrow_mut().put(id, key, v.clone()));
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SQUARES: RefCell<Memo<usize>> = const { RefCell::new(Memo::new()) };
    }
    static SHARED_SQUARES: Shared<usize> = Mutex::new(Memo::new());

    #[test]
    fn a_value_is_computed_once_per_name_and_errors_are_not_kept() {
        let gaz = crate::embedded::gazetteer().unwrap();
        let mut calls = 0;
        for _ in 0..3 {
            let v = remember(&SQUARES, &SHARED_SQUARES, gaz, "seven", || {
                calls += 1;
                Ok(49)
            });
            assert_eq!(v.unwrap(), 49);
        }
        assert_eq!(calls, 1);
        let failed = remember(&SQUARES, &SHARED_SQUARES, gaz, "bad", || {
            Err(crate::Error::Build("no".into()))
        });
        assert!(failed.is_err());
        assert_eq!(
            remember(&SQUARES, &SHARED_SQUARES, gaz, "bad", || Ok(1)).unwrap(),
            1
        );
    }

    thread_local! {
        static CUBES: RefCell<Memo<usize>> = const { RefCell::new(Memo::new()) };
    }
    static SHARED_CUBES: Shared<usize> = Mutex::new(Memo::new());

    #[test]
    fn a_name_worked_out_on_one_thread_is_not_worked_out_again_on_another() {
        let gaz = crate::embedded::gazetteer().unwrap();
        std::thread::spawn(move || remember(&CUBES, &SHARED_CUBES, gaz, "three", || Ok(27)))
            .join()
            .unwrap()
            .unwrap();
        let mut calls = 0;
        let v = remember(&CUBES, &SHARED_CUBES, gaz, "three", || {
            calls += 1;
            Ok(0)
        });
        assert_eq!((v.unwrap(), calls), (27, 0));
    }
}
