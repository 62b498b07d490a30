//! Issue 19, through the real binary: a damaged `--gazetteer FILE` is refused before any command
//! trusts it, a FIFO or other non-regular file is refused instead of blocking, and `gazetteer build`
//! never writes over a file it reads.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{all_fixture_sources, build, fixture, geoevents};
use geoevents::gazetteer::format::{self, Header, Section, RECORD_LEN};
use predicates::prelude::*;

/// A command on a broken input must end quickly; a hang fails the test instead of the suite.
const DEADLINE: Duration = Duration::from_secs(60);

fn fixture_index(dir: &Path) -> PathBuf {
    build(dir, "fx.gaz", &all_fixture_sources(), &[])
}

/// Byte offset of the record of `geonameid` in the index image.
fn record_offset(bytes: &[u8], geonameid: u32) -> usize {
    let h = Header::decode(bytes).unwrap();
    let (off, len) = h.sections[Section::Records as usize];
    (off as usize..(off + len) as usize)
        .step_by(RECORD_LEN)
        .find(|&at| format::u32_at(bytes, at) == geonameid)
        .expect("record of the geonameid")
}

const BAKHMUT: u32 = 713174;

#[test]
fn a_flipped_data_bit_fails_every_command_that_reads_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let index = fixture_index(dir.path());
    let good = std::fs::read(&index).unwrap();
    // Bakhmut's latitude, one bit changed: 48.59 becomes 49.64, still a latitude, so only the
    // checksum can tell. Before the data checksum was checked at open, this was printed with exit 0.
    let mut bad = good.clone();
    bad[record_offset(&good, BAKHMUT) + 4 + 2] ^= 0x10;
    let p = dir.path().join("flipped.gaz");
    std::fs::write(&p, &bad).unwrap();
    let doc = dir.path().join("doc.txt");
    std::fs::write(&doc, "Shelling was reported in Bakhmut on Monday.").unwrap();
    let commands: [&[&str]; 3] = [
        &["lookup", "Bakhmut"],
        &["places", doc.to_str().unwrap()],
        &["gazetteer", "info"],
    ];
    for args in commands {
        geoevents()
            .arg("--gazetteer")
            .arg(&p)
            .args(args)
            .timeout(DEADLINE)
            .assert()
            .code(2)
            .stdout(predicate::str::contains("49.6").not())
            .stderr(predicate::str::contains("data checksum mismatch"))
            .stderr(predicate::str::contains(p.display().to_string()))
            .stderr(predicate::str::contains("geoevents gazetteer build"));
    }
    // The undamaged file still answers.
    geoevents()
        .arg("--gazetteer")
        .arg(&index)
        .args(["lookup", "Bakhmut"])
        .assert()
        .success()
        .stdout(predicate::str::contains("48.59"));
}

#[test]
fn single_bit_flips_anywhere_in_the_data_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let index = fixture_index(dir.path());
    let good = std::fs::read(&index).unwrap();
    let data = format::HEADER_LEN..good.len();
    let step = (data.len() / 40).max(1);
    for (i, pos) in data.step_by(step).enumerate() {
        let mut bad = good.clone();
        bad[pos] ^= 1 << (i % 8);
        let p = dir.path().join("bit.gaz");
        std::fs::write(&p, &bad).unwrap();
        let out = geoevents()
            .arg("--gazetteer")
            .arg(&p)
            .args(["lookup", "Bakhmut"])
            .timeout(DEADLINE)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "bit {} of byte {pos} was not refused: {stderr}",
            i % 8
        );
        assert!(stderr.contains("data checksum mismatch"), "{stderr}");
    }
}

#[test]
fn a_coordinate_off_the_globe_is_corruption_even_with_good_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let index = fixture_index(dir.path());
    let mut bytes = std::fs::read(&index).unwrap();
    let at = record_offset(&bytes, BAKHMUT);
    // The latitude of 590.99, with every checksum rewritten to match (as a buggy writer
    // or a crafted file would have them).
    bytes[at + 4..at + 8].copy_from_slice(&590_990_000i32.to_le_bytes());
    format::reseal(&mut bytes);
    let p = dir.path().join("offglobe.gaz");
    std::fs::write(&p, &bytes).unwrap();
    // The record is met while answering, so the query fails (exit 1: some queries failed) with no
    // answer, never the value.
    geoevents()
        .arg("--gazetteer")
        .arg(&p)
        .args(["lookup", "--format", "jsonl", "Bakhmut"])
        .timeout(DEADLINE)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("590.99").not())
        .stderr(predicate::str::contains(p.display().to_string()))
        .stderr(predicate::str::contains("outside -90..90"))
        .stderr(predicate::str::contains("corrupt"));
    // And a longitude.
    let mut bytes = std::fs::read(&index).unwrap();
    bytes[at + 8..at + 12].copy_from_slice(&(-180_000_001i32).to_le_bytes());
    format::reseal(&mut bytes);
    std::fs::write(&p, &bytes).unwrap();
    geoevents()
        .arg("--gazetteer")
        .arg(&p)
        .args(["lookup", "Bakhmut"])
        .timeout(DEADLINE)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("-180.000001"));
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_instead_of_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("index.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for args in [&["lookup", "Bakhmut"][..], &["gazetteer", "info"][..]] {
        geoevents()
            .arg("--gazetteer")
            .arg(&fifo)
            .args(args)
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(fifo.display().to_string()))
            .stderr(predicate::str::contains(
                "FIFO (named pipe), not a regular file",
            ));
    }
    // As a base, too.
    geoevents()
        .args(["gazetteer", "build", "--base"])
        .arg(&fifo)
        .arg(fixture("admin1CodesASCII.txt"))
        .arg("-o")
        .arg(dir.path().join("out.gaz"))
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("FIFO"));
}

#[cfg(unix)]
#[test]
fn directories_and_devices_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (dir.path().to_path_buf(), "a directory, not a regular file"),
        (
            PathBuf::from("/dev/null"),
            "a character device, not a regular file",
        ),
    ];
    for (path, expect) in cases {
        geoevents()
            .arg("--gazetteer")
            .arg(&path)
            .args(["lookup", "Bakhmut"])
            .timeout(DEADLINE)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expect));
    }
    // A symlink to a good index is followed.
    let index = fixture_index(dir.path());
    let link = dir.path().join("link.gaz");
    std::os::unix::fs::symlink(&index, &link).unwrap();
    geoevents()
        .arg("--gazetteer")
        .arg(&link)
        .args(["lookup", "Bakhmut"])
        .assert()
        .success();
}

#[test]
fn build_refuses_to_write_over_its_base() {
    let dir = tempfile::tempdir().unwrap();
    let index = fixture_index(dir.path());
    let before = std::fs::read(&index).unwrap();
    let same_spellings = [
        index.clone(),
        dir.path().join(".").join("fx.gaz"),
        #[cfg(unix)]
        {
            let link = dir.path().join("alias.gaz");
            std::os::unix::fs::symlink(&index, &link).unwrap();
            link
        },
    ];
    for out in same_spellings {
        geoevents()
            .args(["gazetteer", "build", "--base"])
            .arg(&index)
            .arg(fixture("admin1CodesASCII.txt"))
            .arg("-o")
            .arg(&out)
            .timeout(DEADLINE)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is the same file as the input"))
            .stderr(predicate::str::contains("rename"));
        assert_eq!(
            std::fs::read(&index).unwrap(),
            before,
            "the base was changed"
        );
    }
    // Another output is fine.
    geoevents()
        .args(["gazetteer", "build", "--base"])
        .arg(&index)
        .arg(fixture("admin1CodesASCII.txt"))
        .arg("-o")
        .arg(dir.path().join("new.gaz"))
        .assert()
        .success();
}

#[test]
fn build_refuses_to_write_over_a_source() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("UA.txt");
    std::fs::copy(fixture("UA.txt"), &dump).unwrap();
    let before = std::fs::read(&dump).unwrap();
    geoevents()
        .args(["gazetteer", "build"])
        .arg(&dump)
        .arg("-o")
        .arg(&dump)
        .timeout(DEADLINE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is the same file as the input"));
    assert_eq!(
        std::fs::read(&dump).unwrap(),
        before,
        "the GeoNames dump was lost"
    );
}

/// `gazetteer build -o` replaces an index by rename: a reader of the old file keeps its bytes
/// (the old inode), so a run using it is never cut short by a rebuild.
#[cfg(unix)]
#[test]
fn build_replaces_an_index_by_rename() {
    use std::io::Read;
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let index = fixture_index(dir.path());
    let old = std::fs::read(&index).unwrap();
    let old_inode = std::fs::metadata(&index).unwrap().ino();
    let mut reader = std::fs::File::open(&index).unwrap();
    build(dir.path(), "fx.gaz", &[fixture("UA.txt")], &[]);
    assert_ne!(std::fs::metadata(&index).unwrap().ino(), old_inode);
    let mut still = Vec::new();
    reader.read_to_end(&mut still).unwrap();
    assert_eq!(still, old, "the open file changed under its reader");
    assert_ne!(std::fs::read(&index).unwrap(), old);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["fx.gaz"]);
}
