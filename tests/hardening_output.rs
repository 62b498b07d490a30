//! What `map` leaves in its output folder (issue 19): files a user can share, nothing half-written
//! after a stop, one run at a time per folder, and an input's layers replaced as a set. Through the
//! real binary.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::geoevents;

const REPORT: &str = "On 3 May 2024, Russian forces shelled Kharkiv. Protesters rallied in Lviv.\n";

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// `map -o OUT INPUT`, run to its end.
fn map_into(out: &Path, input: &Path) -> std::process::Output {
    geoevents()
        .args(["map", "-o"])
        .arg(out)
        .arg(input)
        .output()
        .unwrap()
}

fn binary() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("geoevents")
}

#[test]
fn layers_get_the_umasks_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    fs::write(&input, REPORT).unwrap();
    let out = dir.path().join("out");
    let status = StdCommand::new("sh")
        .arg("-c")
        .arg("umask 022; exec \"$0\" map -o \"$1\" \"$2\"")
        .arg(binary())
        .arg(&out)
        .arg(&input)
        .env_remove("GEOEVENTS_GAZETTEER")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let files = names(&out);
    assert!(files.iter().any(|f| f.ends_with(".geojson")), "{files:?}");
    for f in &files {
        let mode = fs::metadata(out.join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{f}");
    }
}

#[test]
fn a_missing_folder_of_an_output_file_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    fs::write(&input, REPORT).unwrap();
    let target = dir.path().join("new/deeper/events.geojson");
    let out = geoevents()
        .args(["map", "--split-by", "none", "-o"])
        .arg(&target)
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(target.exists());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(".geoevents-"), "{err}");
}

#[test]
fn messages_count_in_the_singular_and_the_readmes_spelling_of_split_by_works() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    fs::write(&input, "Russian forces shelled Kharkiv on 3 May 2024.\n").unwrap();
    let out = geoevents()
        .args(["map", "--split-by", "event_type", "-o"])
        .arg(dir.path().join("out"))
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("wrote 1 event to"), "{err}");
    assert!(!err.contains("1 events"), "{err}");
}

#[test]
fn a_later_run_replaces_the_inputs_set_of_layers() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    let out = dir.path().join("out");
    fs::write(&input, REPORT).unwrap();
    let run = || {
        let o = geoevents()
            .args(["map", "--date", "2024-05-04", "-o"])
            .arg(&out)
            .arg(&input)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    run();
    // Another input's layers in the same folder are not this input's.
    fs::write(out.join("other-protests.geojson"), "{}").unwrap();
    let first = names(&out);
    assert!(
        first.contains(&"r-protests.geojson".to_string()),
        "{first:?}"
    );
    // The report now tells of the shelling only: its protest layer is the earlier run's.
    fs::write(&input, "On 3 May 2024, Russian forces shelled Kharkiv.\n").unwrap();
    let err = run();
    let second = names(&out);
    assert!(
        !second.contains(&"r-protests.geojson".to_string()),
        "{second:?}"
    );
    assert!(
        !second.contains(&"r-protests.qml".to_string()),
        "{second:?}"
    );
    assert!(second.contains(&"r-explosions-remote-violence.geojson".to_string()));
    assert!(second.contains(&"other-protests.geojson".to_string()));
    assert!(err.contains("r-protests.geojson"), "{err}");
}

#[test]
fn a_folder_held_by_a_live_run_is_refused_and_a_dead_runs_lock_is_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    fs::write(&input, REPORT).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // This test's own process is alive: its id in the lock holds the folder.
    fs::write(
        out.join(".geoevents.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let o = map_into(&out, &input);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("another geoevents run"), "{err}");
    assert!(!out.join("r-protests.geojson").exists());
    // A process id no process has (above Linux's pid_max) is a stopped run's lock.
    fs::write(out.join(".geoevents.lock"), "4194999\n").unwrap();
    let o = map_into(&out, &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        !out.join(".geoevents.lock").exists(),
        "the lock goes with the run"
    );
}

#[test]
fn temporary_files_of_a_stopped_run_are_removed_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.txt");
    fs::write(&input, REPORT).unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let left = out.join(".geoevents-4194999-AbCdEf.tmp");
    fs::write(&left, "half a layer").unwrap();
    // Not ours by name: stays.
    fs::write(out.join("notes.tmp"), "mine").unwrap();
    let o = map_into(&out, &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!left.exists());
    assert!(out.join("notes.tmp").exists());
}

#[test]
fn a_run_stopped_by_a_signal_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    // Many small documents: the first layer is being written after the first chunk of them, and
    // the run is still going when the signal comes (in a debug build too).
    let input = dir.path().join("many.jsonl");
    let mut text = String::new();
    for i in 0..200_000 {
        text.push_str(&format!(
            "{{\"id\": \"r{i}\", \"text\": \"Russian forces shelled Kharkiv and Izium. Protesters rallied in Lviv.\"}}\n"
        ));
    }
    fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    for signal in ["TERM", "INT"] {
        let mut child = StdCommand::new(binary())
            .args(["map", "--threads", "1", "-o"])
            .arg(&out)
            .arg(&input)
            .env_remove("GEOEVENTS_GAZETTEER")
            .stderr(fs::File::create(dir.path().join("stderr.txt")).unwrap())
            .spawn()
            .unwrap();
        // Wait until a temporary layer exists, then stop the run.
        let start = Instant::now();
        let has_temp = || {
            out.exists()
                && names(&out)
                    .iter()
                    .any(|n| n.starts_with(".geoevents-") && n.ends_with(".tmp"))
        };
        while !has_temp() && start.elapsed() < Duration::from_secs(300) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(
            has_temp(),
            "the run never wrote a temporary layer: {}",
            fs::read_to_string(dir.path().join("stderr.txt")).unwrap_or_default()
        );
        StdCommand::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!status.success());
        let left: Vec<String> = names(&out)
            .into_iter()
            .filter(|n| n.ends_with(".tmp") || n == ".geoevents.lock")
            .collect();
        assert!(left.is_empty(), "SIG{signal} left {left:?}");
    }
}

#[test]
fn csv_cells_that_spreadsheets_would_run_can_be_guarded() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("r.jsonl");
    fs::write(
        &input,
        "{\"id\": \"=HYPERLINK(1)\", \"text\": \"Russian forces shelled Kharkiv on 3 May 2024.\"}\n",
    )
    .unwrap();
    let run = |guard: bool| {
        let mut c = geoevents();
        c.args(["map", "--format", "csv", "-o", "-"]);
        if guard {
            c.arg("--csv-formula-guard");
        }
        let o = c.arg(&input).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(run(false).contains(",=HYPERLINK(1),"));
    let guarded = run(true);
    assert!(guarded.contains(",'=HYPERLINK(1),"), "{guarded}");
    // Numbers are never touched: the longitude is still a number.
    assert!(guarded.contains(",36.2"), "{guarded}");
}

#[test]
fn replacing_a_set_never_removes_an_input_or_a_users_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.txt");
    fs::write(&report, "On 3 May 2024, protesters gathered in Kyiv.\n").unwrap();
    // An input named like one of report.txt's layers, and a user's CSV of such a name.
    let csv_input = dir.path().join("report-events.csv");
    fs::write(
        &csv_input,
        "id,text\n1,\"Police fired on protesters in Lagos.\"\n",
    )
    .unwrap();
    let own = dir.path().join("report-riots.csv");
    fs::write(&own, "my,own\n1,2\n").unwrap();
    let o = geoevents()
        .args(["map", "--date", "2024-05-04", "-o"])
        .arg(dir.path())
        .arg(&report)
        .arg(&csv_input)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(csv_input.exists());
    assert!(own.exists());
}
