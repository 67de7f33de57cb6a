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
    pub fn of(output: Output) -> Self {
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

    /// Panics unless the run was refused as misused (exit code 2: an unknown format, parameter
    /// or option) with a one-line message on stderr.
    #[track_caller]
    pub fn misused(self) -> Self {
        assert_eq!(self.code, 2, "expected a usage error, got {self:#?}");
        assert!(
            self.stderr.starts_with("mss-kg: ") || self.stderr.starts_with("error: "),
            "message not prefixed: {self:#?}"
        );
        assert_eq!(
            self.stderr.trim_end().lines().count(),
            1,
            "message not one line: {self:#?}"
        );
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

    /// The binary with `args` as [`Workdir::command`] has it, started by `wrapper` (a program
    /// and its arguments, before the binary's path).
    pub fn wrapped(&self, wrapper: &[&str], args: &[&str]) -> Command {
        let inner = self.command(args);
        let mut cmd = Command::new(wrapper[0]);
        cmd.args(&wrapper[1..])
            .arg(inner.get_program())
            .args(inner.get_args())
            .env_clear()
            .envs(inner.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .current_dir(self.root());
        cmd
    }

    /// Runs with empty standard input.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.command(args).stdin(Stdio::null()).output().unwrap())
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
        Run::of(child.wait_with_output().unwrap())
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
    /// HOST:PORT
    pub address: String,
}

impl Server {
    /// Serves `store` and waits until it answers.
    pub fn start(wd: &Workdir, store: &Path) -> Self {
        Self::start_with(wd, store, &[])
    }

    /// Serves `store` with more `serve` options.
    pub fn start_with(wd: &Workdir, store: &Path, options: &[&str]) -> Self {
        let port = free_port();
        let bind = format!("127.0.0.1:{port}");
        let mut args = vec!["--store", store.to_str().unwrap(), "serve", "--bind", &bind];
        args.extend_from_slice(options);
        let child = wd
            .command(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut server = Self {
            child,
            url: format!("http://{bind}/query"),
            address: bind.clone(),
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

impl Server {
    /// Ends the process at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// How many threads the process has now.
    pub fn threads(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/task", self.child.id()))
            .map(|d| d.count())
            .unwrap_or(0)
    }

    /// A keep-alive connection to the server.
    pub fn connect(&self) -> Http {
        Http::connect(&self.address)
    }
}

/// A minimal HTTP/1.1 client on one keep-alive connection, strict about the end of a body: a
/// chunked body that stops before its last chunk is an error, as a careful client sees it.
pub struct Http {
    reader: std::io::BufReader<std::net::TcpStream>,
}

/// One response: its status, headers (names lower-cased) and body, or why the body is incomplete.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Result<String, String>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body, which must be complete.
    #[track_caller]
    pub fn text(&self) -> &str {
        self.body.as_deref().expect("a complete body")
    }
}

impl Http {
    pub fn connect(address: &str) -> Self {
        let stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(120)))
            .unwrap();
        Self {
            reader: std::io::BufReader::new(stream),
        }
    }

    /// `GET /query?query=...` with an Accept header.
    pub fn query(&mut self, query: &str, accept: &str) -> Reply {
        let encoded: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
        self.get(&format!("/query?query={encoded}"), accept)
    }

    pub fn get(&mut self, target: &str, accept: &str) -> Reply {
        use std::io::Write;
        let request =
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nAccept: {accept}\r\n\r\n");
        self.reader.get_mut().write_all(request.as_bytes()).unwrap();
        self.read_reply()
    }

    /// `POST /query` with the query as the body.
    pub fn post_query(&mut self, query: &str, accept: &str) -> Reply {
        use std::io::Write;
        let request = format!(
            "POST /query HTTP/1.1\r\nHost: localhost\r\nAccept: {accept}\r\nContent-Type: application/sparql-query\r\nContent-Length: {}\r\n\r\n{query}",
            query.len()
        );
        self.reader.get_mut().write_all(request.as_bytes()).unwrap();
        self.read_reply()
    }

    /// Any request: method, target, extra headers and body; a `HEAD` reply has no body.
    pub fn request(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        use std::io::Write;
        let mut request = format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let stream = self.reader.get_mut();
        stream.write_all(request.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        if method == "HEAD" {
            return self.read_head();
        }
        self.read_reply()
    }

    /// A reply's status and headers, without its body (a `HEAD` reply has none).
    fn read_head(&mut self) -> Reply {
        let status_line = self.line().expect("a status line");
        let status = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line '{status_line}'"));
        let mut headers = Vec::new();
        while let Some(line) = self.line() {
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        Reply {
            status,
            headers,
            body: Ok(String::new()),
        }
    }

    fn line(&mut self) -> Option<String> {
        use std::io::BufRead;
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end_matches(['\r', '\n']).to_owned()),
        }
    }

    fn read_reply(&mut self) -> Reply {
        use std::io::Read;
        let Reply {
            status, headers, ..
        } = self.read_head();
        let find = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v): &(String, String)| v.clone())
        };
        let body = if status == 204 || status == 304 {
            Ok(String::new())
        } else if let Some(length) = find("content-length") {
            let mut body = vec![0; length.parse().unwrap()];
            self.reader
                .read_exact(&mut body)
                .map(|()| String::from_utf8_lossy(&body).into_owned())
                .map_err(|e| format!("body cut short: {e}"))
        } else if find("transfer-encoding").as_deref() == Some("chunked") {
            let mut body = Vec::new();
            loop {
                let Some(size) = self.line() else {
                    break Err(format!(
                        "chunked body ended without its last chunk after {} bytes",
                        body.len()
                    ));
                };
                let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
                    break Err(format!("bad chunk size '{size}'"));
                };
                if size == 0 {
                    // Trailers, then the blank line that ends the body.
                    while let Some(line) = self.line() {
                        if line.is_empty() {
                            break;
                        }
                    }
                    break Ok(String::from_utf8_lossy(&body).into_owned());
                }
                let mut chunk = vec![0; size + 2];
                if self.reader.read_exact(&mut chunk).is_err() {
                    break Err(format!("chunk cut short after {} bytes", body.len()));
                }
                body.extend_from_slice(&chunk[..size]);
            }
        } else {
            let mut body = Vec::new();
            let _ = self.reader.read_to_end(&mut body);
            Ok(String::from_utf8_lossy(&body).into_owned())
        };
        Reply {
            status,
            headers,
            body,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
