//! Help, version, completions and man pages, all from the clap definitions.

use crate::util::Workdir;

#[test]
fn every_command_has_help_with_an_example() {
    let wd = Workdir::new();
    for command in [
        "load",
        "query",
        "update",
        "stats",
        "queries",
        "run",
        "describe",
        "completions",
        "man",
    ] {
        let run = wd.run(&[command, "--help"]).ok();
        assert!(run.stdout.contains("Example: mss-kg"), "{command}: {run:?}");
        assert!(run.stdout.contains("--store <DIR>"), "{command}: {run:?}");
    }
    let run = wd.run(&["--help"]).ok();
    for command in [
        "load", "query", "update", "stats", "queries", "run", "describe",
    ] {
        assert!(run.stdout.contains(&format!("  {command} ")), "{run:?}");
    }
}

#[test]
fn usage_errors_exit_with_2() {
    let wd = Workdir::new();
    let run = wd.run(&["frobnicate"]);
    assert_eq!(run.code, 2, "{run:?}");
    let run = wd.run(&["query", "ASK {}", "--wait", "soon"]);
    assert_eq!(run.code, 2, "{run:?}");
}

#[test]
fn completions_and_man_pages() {
    let wd = Workdir::new();
    let bash = wd.run(&["completions", "bash"]).ok().stdout;
    assert!(
        bash.contains("complete -F _mss__kg") && bash.contains("--no-union"),
        "{bash}"
    );
    let man = wd.run(&["man"]).ok().stdout;
    assert!(
        man.starts_with(".ie \\n(.g .ds Aq") || man.contains(".TH mss-kg 1"),
        "{man}"
    );
    wd.run(&["man", "--dir", "man1"]).ok();
    assert!(wd.path("man1/mss-kg.1").exists());
    assert!(wd.path("man1/mss-kg-load.1").exists());
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let wd = Workdir::new();
    let mut child = wd
        .command(&["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
}
