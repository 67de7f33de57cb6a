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

/// Issue #23: the completion script works in a real bash (it once set `cmd` to a name its own
/// `case` did not expect, so `mss-kg run --<TAB>` offered nothing), and completes what only the
/// graph knows: saved-query names, their parameters, formats.
#[test]
fn bash_completion_completes() {
    if std::process::Command::new("bash")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("bash is needed for this test");
    }
    let wd = Workdir::new();
    let script = wd.run(&["completions", "bash"]).ok().stdout;
    wd.write("completion.bash", &script);
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_mss-kg"))
        .parent()
        .unwrap();
    let complete = |line: &[&str]| -> Vec<String> {
        let words = line
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" ");
        let program = format!(
            "source completion.bash\n\
             COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); COMP_TYPE=9\n\
             _clap_complete_mss_kg mss-kg \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\""
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(program)
            .current_dir(wd.root())
            .env_clear()
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    bin_dir.display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("HOME", wd.root())
            .env("MSS_KG_STORE", wd.store())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split('\t').next().unwrap_or(l).trim().to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    };
    assert!(complete(&["mss-kg", "ru"]).contains(&"run".to_owned()));
    let options = complete(&["mss-kg", "run", "--"]);
    assert!(
        options.contains(&"--format".to_owned()) && options.contains(&"--param".to_owned()),
        "{options:?}"
    );
    assert_eq!(complete(&["mss-kg", "run", "kenya"]), ["kenya-deployments"]);
    assert_eq!(
        complete(&["mss-kg", "run", "person-actions", "--param", ""]),
        ["person="]
    );
    let formats = complete(&["mss-kg", "run", "offices", "--format", ""]);
    for format in ["table", "csv", "json", "turtle", "jsonld"] {
        assert!(formats.contains(&format.to_owned()), "{formats:?}");
    }
    assert_eq!(
        complete(&["mss-kg", "queries", "show", "mss"]),
        ["mss-commander"]
    );
    assert_eq!(
        complete(&["mss-kg", "describe", "otunge", "--format", "ca"]),
        ["card"]
    );
}

/// Issue #23: `man --dir` writes every page the main page refers to, each with EXIT STATUS and
/// ENVIRONMENT; subcommand help sets the global options apart and explains `run -f` itself.
#[test]
fn man_pages_and_help() {
    let wd = Workdir::new();
    let man = wd.run(&["man"]).ok().stdout;
    assert!(man.contains(".TH mss-kg 1"), "{man}");
    assert!(
        man.contains(".SH \"EXIT STATUS\"") && man.contains(".SH ENVIRONMENT"),
        "{man}"
    );
    wd.run(&["man", "--dir", "man1"]).ok();
    for page in [
        "mss-kg",
        "mss-kg-load",
        "mss-kg-query",
        "mss-kg-run",
        "mss-kg-queries",
        "mss-kg-queries-show",
        "mss-kg-export",
        "mss-kg-link",
        "mss-kg-serve",
        "mss-kg-describe",
        "mss-kg-update",
        "mss-kg-stats",
    ] {
        let text = std::fs::read_to_string(wd.path(&format!("man1/{page}.1")))
            .unwrap_or_else(|e| panic!("{page}.1: {e}"));
        assert!(
            text.contains("EXIT STATUS") && text.contains("MSS_KG_STORE"),
            "{page}"
        );
    }
    // Every page the main page names is there.
    for line in man.lines().filter(|l| l.contains("mss\\-kg\\-")) {
        let name = line
            .split("mss\\-kg\\-")
            .nth(1)
            .unwrap()
            .split(['(', '\\', ' '])
            .next()
            .unwrap();
        assert!(wd.path(&format!("man1/mss-kg-{name}.1")).exists(), "{line}");
    }

    let help = wd.run(&["run", "--help"]).ok().stdout;
    assert!(help.contains("\nGlobal options:\n"), "{help}");
    let (own, global) = help.split_once("\nGlobal options:\n").unwrap();
    assert!(own.contains("--param") && !own.contains("--store"), "{own}");
    assert!(
        global.contains("--store") && global.contains("--quiet"),
        "{global}"
    );
    assert!(!help.contains("as for `query`"), "{help}");
    assert!(
        help.contains("[env: MSS_KG_QUERIES]") && !help.contains("MSS_KG_QUERIES=]"),
        "{help}"
    );
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

/// Issue #23: what a newcomer meets, as whole runs (command, exit code, stdout, stderr) in one
/// snapshot.
#[test]
fn a_newcomers_first_runs() {
    let wd = Workdir::new();
    let mut transcript = String::new();
    for args in [
        &["run", "mss-commander", "--format", "md"][..],
        &["export", "-o", "notes.txt"],
        &["run", "person-actions", "--param", "person=otunje"],
        &[
            "run",
            "person-actions",
            "--param",
            "person=police",
            "--format",
            "csv",
        ],
        &["run", "offices", "--param", "colour=red"],
        &["run", "nation-codes", "--format", "csv"],
        &["run", "mss-commander", "--format", "csv"],
        &[
            "query",
            "ASK { mssr:kenya a schema:Country }",
            "--format",
            "json",
        ],
    ] {
        let run = wd.run(args);
        transcript.push_str(&format!(
            "$ mss-kg {}\n[exit {}]\n{}{}\n",
            args.join(" "),
            run.code,
            run.stdout,
            run.stderr
        ));
    }
    insta::assert_snapshot!("newcomer_runs", transcript);
}
