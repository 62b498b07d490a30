//! An external merge sort of (key, value) byte pairs, so that a gazetteer build over all of GeoNames
//! runs in bounded memory: items collect in an arena, each full arena is sorted and spilled to a run
//! file, and the runs are merged through a heap.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use super::format::{read_varint, write_varint};

pub struct ExternalSorter {
    dir: PathBuf,
    budget: usize,
    arena: Vec<u8>,
    /// (start, key length, value length) into `arena`.
    items: Vec<(u32, u32, u32)>,
    runs: Vec<File>,
}

impl ExternalSorter {
    /// `budget` bounds the bytes held in memory before a run is spilled into `dir`.
    pub fn new(dir: &Path, budget: usize) -> ExternalSorter {
        ExternalSorter {
            dir: dir.to_path_buf(),
            // Arena offsets are u32.
            budget: budget.clamp(1024, 1 << 31),
            arena: Vec::new(),
            items: Vec::new(),
            runs: Vec::new(),
        }
    }

    pub fn push(&mut self, key: &[u8], value: &[u8]) -> std::io::Result<()> {
        let start = self.arena.len();
        self.arena.extend_from_slice(key);
        self.arena.extend_from_slice(value);
        self.items
            .push((start as u32, key.len() as u32, value.len() as u32));
        // Each item also costs 12 bytes of index.
        if self.arena.len() + self.items.len() * 12 >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    fn sort_items(&mut self) {
        let arena = &self.arena;
        self.items.sort_unstable_by(|a, b| {
            let ka = &arena[a.0 as usize..(a.0 + a.1 + a.2) as usize];
            let kb = &arena[b.0 as usize..(b.0 + b.1 + b.2) as usize];
            let (ka_key, ka_val) = ka.split_at(a.1 as usize);
            let (kb_key, kb_val) = kb.split_at(b.1 as usize);
            ka_key.cmp(kb_key).then_with(|| ka_val.cmp(kb_val))
        });
    }

    fn spill(&mut self) -> std::io::Result<()> {
        if self.items.is_empty() {
            return Ok(());
        }
        self.sort_items();
        let file = tempfile::tempfile_in(&self.dir)?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        let mut buf = Vec::with_capacity(16);
        for &(s, k, v) in &self.items {
            buf.clear();
            write_varint(&mut buf, u64::from(k));
            write_varint(&mut buf, u64::from(v));
            w.write_all(&buf)?;
            w.write_all(&self.arena[s as usize..(s + k + v) as usize])?;
        }
        let mut file = w.into_inner().map_err(|e| e.into_error())?;
        use std::io::Seek;
        file.seek(std::io::SeekFrom::Start(0))?;
        self.runs.push(file);
        self.arena.clear();
        self.items.clear();
        Ok(())
    }

    /// Calls `f` with every pair in (key, value) order.
    pub fn for_each_sorted(
        mut self,
        mut f: impl FnMut(&[u8], &[u8]) -> crate::Result<()>,
    ) -> crate::Result<()> {
        let dir = self.dir.clone();
        let io = |e| crate::Error::io(&dir, e);
        if self.runs.is_empty() {
            self.sort_items();
            for &(s, k, v) in &self.items {
                let kv = &self.arena[s as usize..(s + k + v) as usize];
                let (key, value) = kv.split_at(k as usize);
                f(key, value)?;
            }
            return Ok(());
        }
        self.spill().map_err(io)?;
        let mut readers: Vec<RunReader> = self
            .runs
            .drain(..)
            .map(|f| RunReader::new(BufReader::with_capacity(1 << 20, f)))
            .collect();
        let mut heap = BinaryHeap::new();
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some(item) = r.next().map_err(io)? {
                heap.push(Reverse((item, i)));
            }
        }
        while let Some(Reverse(((key, value), i))) = heap.pop() {
            f(&key, &value)?;
            if let Some(item) = readers[i].next().map_err(io)? {
                heap.push(Reverse((item, i)));
            }
        }
        Ok(())
    }
}

struct RunReader {
    r: BufReader<File>,
}

impl RunReader {
    fn new(r: BufReader<File>) -> RunReader {
        RunReader { r }
    }

    fn read_varint(&mut self) -> std::io::Result<Option<u64>> {
        let mut buf = [0u8; 10];
        for i in 0..10 {
            let mut byte = [0u8];
            if self.r.read(&mut byte)? == 0 {
                return if i == 0 {
                    Ok(None)
                } else {
                    Err(std::io::ErrorKind::UnexpectedEof.into())
                };
            }
            buf[i] = byte[0];
            if byte[0] & 0x80 == 0 {
                return Ok(read_varint(&buf[..=i], 0).map(|(v, _)| v));
            }
        }
        Err(std::io::ErrorKind::InvalidData.into())
    }

    /// The next (key, value); tuples order by key, then value, as the in-memory sort does.
    #[allow(clippy::type_complexity)]
    fn next(&mut self) -> std::io::Result<Option<(Vec<u8>, Vec<u8>)>> {
        let Some(k) = self.read_varint()? else {
            return Ok(None);
        };
        let v = self
            .read_varint()?
            .ok_or(std::io::ErrorKind::UnexpectedEof)?;
        let mut key = vec![0u8; k as usize];
        self.r.read_exact(&mut key)?;
        let mut value = vec![0u8; v as usize];
        self.r.read_exact(&mut value)?;
        Ok(Some((key, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(s: ExternalSorter) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out = Vec::new();
        s.for_each_sorted(|k, v| {
            out.push((k.to_vec(), v.to_vec()));
            Ok(())
        })
        .unwrap();
        out
    }

    fn pseudo_random_items(n: u32) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut x: u32 = 2463534242;
        (0..n)
            .map(|i| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                // Keys of different lengths that prefix each other, values of different lengths.
                let key = format!("k{}", x % 997).into_bytes();
                let value = if i % 3 == 0 {
                    vec![b'z']
                } else {
                    i.to_be_bytes().to_vec()
                };
                (key, value)
            })
            .collect()
    }

    #[test]
    fn in_memory_and_spilled_sorts_agree_with_std_sort() {
        let dir = tempfile::tempdir().unwrap();
        let items = pseudo_random_items(20_000);
        let mut expected = items.clone();
        expected.sort();
        for budget in [usize::MAX, 4096] {
            let mut s = ExternalSorter::new(dir.path(), budget);
            for (k, v) in &items {
                s.push(k, v).unwrap();
            }
            if budget == 4096 {
                assert!(s.runs.len() > 10, "small budget must spill");
            }
            assert_eq!(collect(s), expected);
        }
    }

    #[test]
    fn equal_keys_order_by_value() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = ExternalSorter::new(dir.path(), 1024);
        s.push(b"a", b"\x02").unwrap();
        s.push(b"a", b"\x01").unwrap();
        s.push(b"", b"").unwrap();
        assert_eq!(
            collect(s),
            vec![
                (vec![], vec![]),
                (b"a".to_vec(), vec![1]),
                (b"a".to_vec(), vec![2])
            ]
        );
    }
}
