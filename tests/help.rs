//! Every command's help lists the exit codes a script can test for.

mod common;

use common::geoevents;

#[test]
fn every_commands_help_lists_the_exit_codes() {
    for args in [
        vec!["--help"],
        vec!["map", "--help"],
        vec!["places", "--help"],
        vec!["lookup", "--help"],
        vec!["serve", "--help"],
        vec!["gazetteer", "build", "--help"],
        vec!["gazetteer", "info", "--help"],
    ] {
        let out = geoevents().args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let help = String::from_utf8_lossy(&out.stdout);
        for code in [
            "0 all well",
            "1 some items failed",
            "2 usage",
            "130 stopped",
        ] {
            assert!(help.contains(code), "{args:?} lacks `{code}`:\n{help}");
        }
    }
}
