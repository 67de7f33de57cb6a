//! A `Workdir`: a fresh temp folder, the real `mss-kg` binary, and a scrubbed environment.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub struct Workdir {
    dir: tempfile::TempDir,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with everything printed unless the run succeeded.
    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "expected success, got {self:#?}");
        self
    }

    /// Panics unless the run failed with exit code 1 and a one-line message on stderr.
    #[track_caller]
    pub fn fails(self) -> Self {
        assert_eq!(self.code, 1, "expected failure, got {self:#?}");
        assert!(
            self.stderr.starts_with("mss-kg: "),
            "message not prefixed: {self:#?}"
        );
        assert_eq!(
            self.stderr.trim_end().lines().count(),
            1,
            "message not one line: {self:#?}"
        );
        self
    }
}

impl Workdir {
    pub fn new() -> Self {
        Self {
            dir: tempfile::Builder::new()
                .prefix("mss-kg-test")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The default store of this workdir.
    pub fn store(&self) -> PathBuf {
        self.path("store")
    }

    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// The binary, run in the workdir with a clean environment and `<workdir>/store` as its store.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mss-kg"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root())
            .env("XDG_DATA_HOME", self.path("xdg"))
            .env("MSS_KG_STORE", self.store())
            .current_dir(self.root())
            .args(args);
        cmd
    }

    /// Runs with empty standard input.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).stdin(Stdio::null()).output().unwrap())
    }

    /// Runs with `input` on standard input.
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write;
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        Run::from(child.wait_with_output().unwrap())
    }

    /// Starts a run in the background, its stdin a pipe left open.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Runs a SELECT and returns its rows as JSON bindings: one map of variable to value a row.
    pub fn select(&self, args: &[&str]) -> Vec<std::collections::BTreeMap<String, String>> {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let run = self.run(&all).ok();
        bindings(&run.stdout)
    }
}

/// SPARQL JSON results to rows of `variable -> lexical value`.
pub fn bindings(json: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let value: serde_json::Value = serde_json::from_str(json).expect("SPARQL JSON results");
    value["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row.as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v["value"].as_str().unwrap().to_owned()))
                .collect()
        })
        .collect()
}

/// A free TCP port on 127.0.0.1 (bound, then released for the server to take).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real `mss-kg serve` on 127.0.0.1, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    /// Serves `store` and waits until it answers.
    pub fn start(wd: &Workdir, store: &Path) -> Self {
        let port = free_port();
        let bind = format!("127.0.0.1:{port}");
        let child = wd
            .command(&["--store", store.to_str().unwrap(), "serve", "--bind", &bind])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Self {
            child,
            url: format!("http://{bind}/query"),
        };
        for _ in 0..200 {
            if std::net::TcpStream::connect(&bind).is_ok() {
                return server;
            }
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!("mss-kg serve exited with {status}");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("mss-kg serve did not listen on {bind}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
