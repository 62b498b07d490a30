//! Files a run writes, and the folder it writes them into: temporary files that become layers by
//! a rename, with the permissions the user's umask gives; a lock per output folder so that two runs
//! do not interleave their layers; and cleaning up after runs that were stopped: our temporary
//! files are removed on SIGINT, SIGTERM and SIGHUP, and those that a killed run left behind are
//! removed at the start of the next run into that folder.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Files to remove should the run be stopped by a signal: temporary files being written and the
/// folder locks held. A path is taken off once it is renamed into place or released.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// What our temporary files are called: `.geoevents-<pid>-<random>.tmp`, so a later run can tell
/// whether the run that made one is still going.
const TEMP_PREFIX: &str = ".geoevents-";
const TEMP_SUFFIX: &str = ".tmp";

/// The lock file a run holds in its output folder.
pub const LOCK_NAME: &str = ".geoevents.lock";

/// A temporary file from before names held the process id (`.geoevents-<random>.tmp`) is removed
/// only once it is this old: its run, if any, cannot be asked whether it still lives.
const UNNAMED_STALE: Duration = Duration::from_secs(24 * 3600);

/// The list of live files, locked; a panic elsewhere while it was held leaves it usable.
fn live_files() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Takes `path` off the list of files removed on a signal (it was renamed into place, or removed).
pub fn forget(path: &Path) {
    live_files().retain(|p| p != path);
}

/// Removes every temporary file and lock of this run and exits with `code`: on a signal. The list
/// stays locked until the process is gone, so no new temporary file can appear meanwhile (making
/// one takes the same lock). Signal handlers run on their own thread (see `main`), so waiting
/// for the list is safe.
pub fn remove_live_files_and_exit(code: i32) -> ! {
    let live = live_files();
    for p in live.iter() {
        let _ = fs::remove_file(p);
    }
    std::process::exit(code)
}

/// A new temporary file in the folder of `path`, to be renamed onto it. It is created with mode
/// 0666 less the umask (0644 under the usual 022), as any file a user makes, not tempfile's 0600:
/// layers are meant to be shared.
pub fn temp_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(fs::Permissions::from_mode(0o666));
    }
    // Made and listed under the list's lock: a signal's cleanup sees every file there is.
    let mut live = live_files();
    let tmp = b.tempfile_in(dir).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot make a temporary file in {}: {e}", dir.display()),
        )
    })?;
    live.push(tmp.path().to_path_buf());
    Ok(tmp)
}

/// Renames a finished temporary file onto `path`.
pub fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> io::Result<()> {
    let tmp_path = tmp.path().to_path_buf();
    let done = tmp.persist(path).map(|_| ()).map_err(|e| e.error);
    forget(&tmp_path);
    done
}

/// This machine's name, which a lock carries beside the process id: a process id means nothing
/// on another machine or in another container sharing the folder.
fn host() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

/// Whether the process `pid` is alive. Where that cannot be asked, every process is.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

/// The process id in one of our temporary file names, if it has one.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    rest.split_once('-')?.0.parse().ok()
}

/// Removes our temporary files in `dir` that no live run holds: those of a process that is gone,
/// and those without a process id older than a day. Returns what it removed.
pub fn remove_stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(TEMP_PREFIX) || !name.ends_with(TEMP_SUFFIX) {
            continue;
        }
        let stale = match temp_pid(&name) {
            Some(pid) => !alive(pid),
            None => entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > UNNAMED_STALE),
        };
        if stale && entry.file_type().is_ok_and(|t| t.is_file()) {
            let path = entry.path();
            if fs::remove_file(&path).is_ok() {
                removed.push(path);
            }
        }
    }
    removed
}

/// A run's hold on its output folder: `.geoevents.lock` with the run's process id, removed when
/// the run ends (or is stopped by a signal).
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
}

/// Why a folder could not be locked.
#[derive(Debug)]
pub enum LockError {
    /// Another run, still alive, holds the folder.
    Held {
        folder: PathBuf,
        pid: u32,
    },
    Io(io::Error),
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Held { folder, pid } => write!(
                f,
                "another geoevents run (process {pid}) is writing into {}; wait for it to end or \
                 write elsewhere with -o (if no such run is going, remove {})",
                folder.display(),
                folder.join(LOCK_NAME).display()
            ),
            LockError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LockError {}

impl FolderLock {
    /// Takes `dir`'s lock; a lock left by a process that is gone is taken over.
    pub fn acquire(dir: &Path) -> Result<FolderLock, LockError> {
        let path = dir.join(LOCK_NAME);
        for _ in 0..3 {
            let mut live = live_files();
            let made = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path);
            if made.is_ok() {
                live.push(path.clone());
            }
            drop(live);
            match made {
                Ok(mut f) => {
                    use std::io::Write;
                    writeln!(f, "{} {}", std::process::id(), host()).map_err(LockError::Io)?;
                    return Ok(FolderLock { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    // "pid host": a lock of another host (or container) is never taken over.
                    let text = fs::read_to_string(&path).unwrap_or_default();
                    let mut words = text.split_whitespace();
                    let holder = words.next().and_then(|p| p.parse::<u32>().ok());
                    let here = words.next().is_none_or(|h| h == host());
                    match holder {
                        Some(pid) if alive(pid) || !here => {
                            return Err(LockError::Held {
                                folder: dir.to_path_buf(),
                                pid,
                            })
                        }
                        // A lock being written this instant has no id yet; one of a run that is
                        // gone is stale. Either way, try again (a racing run wins or loses here).
                        Some(_) => {
                            let _ = fs::remove_file(&path);
                        }
                        None => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
                Err(e) => {
                    return Err(LockError::Io(io::Error::new(
                        e.kind(),
                        format!("cannot lock {}: {e}", dir.display()),
                    )))
                }
            }
        }
        Err(LockError::Io(io::Error::other(format!(
            "cannot lock {}: {} keeps changing; is another run starting?",
            dir.display(),
            path.display()
        ))))
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        forget(&self.path);
    }
}

/// The file names of every layer an input named `group` can have in a folder, with their styles:
/// `group-<event type>.<ext>` and `group-events.<ext>` in each layer format, `.qml`, `.csvt` and `.prj`.
pub fn layer_names(group: &str) -> Vec<String> {
    let mut layers: Vec<String> = crate::events::rules::EVENT_TYPES
        .iter()
        .map(|t| crate::layers::slug(t))
        .collect();
    layers.push("events".into());
    let mut out = Vec::new();
    for layer in layers {
        for ext in ["geojson", "geojsonl", "csv", "qml", "csvt", "prj"] {
            out.push(format!("{group}-{layer}.{ext}"));
        }
    }
    out
}

/// Whether the file at `path` is as geoevents writes it: a layer whose start is ours, or a style
/// or `.csvt` or `.prj` exactly as we write them (one a user has edited is theirs now).
fn written_by_us(path: &Path) -> bool {
    use std::io::Read;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let whole = |expected: String| fs::read(path).is_ok_and(|b| b == expected.as_bytes());
    let head = || {
        let mut buf = Vec::new();
        fs::File::open(path)
            .and_then(|f| f.take(4096).read_to_end(&mut buf))
            .map(|_| buf)
            .unwrap_or_default()
    };
    match ext {
        // As the `geojson` crate's FeatureWriter opens a collection, or as geoevents did before.
        "geojson" => {
            let h = head();
            h.starts_with(b"{ \"type\": \"FeatureCollection\", \"features\": [")
                || h.starts_with(b"{\"type\":\"FeatureCollection\",\"features\":[")
        }
        "geojsonl" => {
            let h = head();
            h.is_empty() || h.starts_with(b"{\"type\":\"Feature\"")
        }
        "csv" => head().starts_with(format!("{}\n", crate::layers::csv_header()).as_bytes()),
        "qml" => whole(crate::layers::qml()),
        "csvt" => whole(crate::layers::csvt()),
        "prj" => whole(crate::layers::PRJ.to_string()),
        _ => false,
    }
}

/// Removes the layers (and styles) of `group` in `dir` that this run did not write: a run
/// replaces an input's set of layers as a whole. Only files as geoevents writes them go (see
/// [`written_by_us`]), and never one of the run's `inputs`. Returns what it removed.
pub fn remove_other_layers(
    dir: &Path,
    group: &str,
    written: &[PathBuf],
    inputs: &[PathBuf],
) -> Vec<PathBuf> {
    let keep: Vec<PathBuf> = written
        .iter()
        .flat_map(|p| {
            let csv = p.extension().is_some_and(|e| e == "csv");
            let mut keep = vec![p.clone(), p.with_extension("qml")];
            if csv {
                keep.extend([p.with_extension("csvt"), p.with_extension("prj")]);
            }
            keep
        })
        .filter_map(|p| fs::canonicalize(p).ok())
        .collect();
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| fs::canonicalize(p).ok())
        .collect();
    let mut removed = Vec::new();
    for name in layer_names(group) {
        let path = dir.join(&name);
        let Ok(real) = fs::canonicalize(&path) else {
            continue;
        };
        if keep.contains(&real) || inputs.contains(&real) || !real.is_file() {
            continue;
        }
        if written_by_us(&real) && fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_carry_the_process_id() {
        let dir = tempfile::tempdir().unwrap();
        let tmp = temp_beside(&dir.path().join("a.geojson")).unwrap();
        let name = tmp
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert_eq!(temp_pid(&name), Some(std::process::id()));
        assert_eq!(temp_pid(".geoevents-AbC123.tmp"), None);
        // Ours, alive: not stale.
        assert!(remove_stale_temps(dir.path()).is_empty());
        assert!(tmp.path().exists());
    }

    #[test]
    fn a_lock_is_refused_while_held_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let lock = FolderLock::acquire(dir.path()).unwrap();
        let again = FolderLock::acquire(dir.path()).unwrap_err();
        assert!(
            again.to_string().contains("another geoevents run"),
            "{again}"
        );
        drop(lock);
        assert!(!dir.path().join(LOCK_NAME).exists());
        FolderLock::acquire(dir.path()).unwrap();
    }

    #[test]
    fn other_layers_of_the_input_go_and_others_inputs_stay() {
        let dir = tempfile::tempdir().unwrap();
        let layer = "{\"type\":\"FeatureCollection\",\"features\":[\n]}\n";
        let qml = crate::layers::qml();
        for (name, body) in [
            ("r-battles.geojson", layer),
            ("r-battles.qml", qml.as_str()),
            ("r-protests.geojson", layer),
            ("r-protests.qml", qml.as_str()),
            ("s-battles.geojson", layer),
            ("r-battles.txt", "x"),
            // A user's own file of a layer's name, an edited style, an input: they stay.
            ("r-riots.csv", "id,text\n1,Police fired on protesters.\n"),
            ("r-riots.qml", "<qgis>my own colours</qgis>"),
            ("r-events.geojson", layer),
        ] {
            fs::write(dir.path().join(name), body).unwrap();
        }
        let written = [dir.path().join("r-battles.geojson")];
        let inputs = [dir.path().join("r-events.geojson")];
        let mut removed: Vec<String> = remove_other_layers(dir.path(), "r", &written, &inputs)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        removed.sort();
        assert_eq!(removed, ["r-protests.geojson", "r-protests.qml"]);
        for stays in [
            "s-battles.geojson",
            "r-battles.txt",
            "r-riots.csv",
            "r-riots.qml",
            "r-events.geojson",
        ] {
            assert!(dir.path().join(stays).exists(), "{stays}");
        }
    }
}
