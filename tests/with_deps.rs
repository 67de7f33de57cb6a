//! `scripts/with-deps`: each detection judged against "absent" and "present but not what we need".
//!
//! Issue #13: a fresh machine with LLVM's libclang-cpp (and no libclang) failed `make run` after 15
//! minutes, because the check took libclang-cpp for libclang. These tests run the real script with
//! `--check` on fake system roots (`WITH_DEPS_SYSROOT`) and fake programs on PATH.

use crate::util::Workdir;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/with-deps")
}

struct Check {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `with-deps ARGS` with a scrubbed environment plus `env`.
fn with_deps(wd: &Workdir, args: &[&str], env: &[(&str, &str)]) -> Check {
    let mut cmd = Command::new(script());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", wd.root())
        .current_dir(wd.root())
        .args(args)
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Check {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fake system root holding empty files (or symlinks, `name -> target`) at the given paths.
fn sysroot(wd: &Workdir, files: &[&str]) -> String {
    let root = wd.path("sysroot");
    std::fs::create_dir_all(root.join("usr/lib")).unwrap();
    for f in files {
        if let Some((link, target)) = f.split_once(" -> ") {
            let link = root.join(link);
            std::fs::create_dir_all(link.parent().unwrap()).unwrap();
            symlink(target, link).unwrap();
        } else {
            wd.write(&format!("sysroot/{f}"), "");
        }
    }
    root.to_str().unwrap().to_owned()
}

/// The libclang line of `--check` on a sysroot holding `files`, if any.
fn libclang_line(files: &[&str], env: &[(&str, &str)]) -> (Option<String>, String) {
    let wd = Workdir::new();
    let root = sysroot(&wd, files);
    let mut all = vec![("WITH_DEPS_SYSROOT", root.as_str())];
    all.extend_from_slice(env);
    let run = with_deps(&wd, &["--check"], &all);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("missing libclang"))
        .map(str::to_owned);
    assert_eq!(
        run.code,
        i32::from(!run.stdout.is_empty()),
        "exit 1 exactly when something is missing: {}{}",
        run.stdout,
        run.stderr
    );
    (line, run.stderr)
}

#[test]
fn libclang_cpp_alone_is_not_libclang() {
    let (line, _) = libclang_line(&["usr/lib/llvm-14/lib/libclang-cpp.so.14"], &[]);
    let line = line.expect("libclang-cpp must be judged missing");
    assert!(line.contains("libclang-cpp"), "{line}");
    assert!(line.contains("would install"), "{line}");
    // The same under the multiarch folder, where Debian's libclang-cpp14 also puts it.
    let (line, _) = libclang_line(
        &[
            "usr/lib/x86_64-linux-gnu/libclang-cpp.so.14.0.6",
            "usr/lib/llvm-14/lib/libclang-cpp.so",
        ],
        &[],
    );
    assert!(line.is_some());
}

#[test]
fn libclang_found_where_bindgen_looks() {
    for file in [
        "usr/lib/llvm-14/lib/libclang.so.1",
        "usr/lib/llvm-16/lib/libclang.so",
        "usr/lib/x86_64-linux-gnu/libclang-14.so.1",
        "usr/lib/x86_64-linux-gnu/libclang-14.0.6.so",
        "usr/local/lib/libclang.so.17",
    ] {
        let (line, _) = libclang_line(&[file, "usr/lib/llvm-14/lib/libclang-cpp.so.14"], &[]);
        assert_eq!(line, None, "{file} is libclang");
    }
}

#[test]
fn libclang_absent_or_only_in_name() {
    let (line, _) = libclang_line(&[], &[]);
    assert!(line.is_some(), "an empty system has no libclang");
    // libclang-dev's libclang.so without libclang1 behind it: a dangling link.
    let (line, _) = libclang_line(
        &["usr/lib/llvm-14/lib/libclang.so -> libclang-14.so.1"],
        &[],
    );
    assert!(line.is_some(), "a dangling libclang.so is not libclang");
    // Names that only look like it.
    let (line, _) = libclang_line(
        &[
            "usr/lib/llvm-14/lib/libclangBasic.a",
            "usr/lib/llvm-14/lib/libclang.a",
            "usr/lib/llvm-14/lib/libclang-cpp.so",
            "usr/lib/llvm-14/lib/libclang.so.txt",
        ],
        &[],
    );
    assert!(
        line.is_some(),
        "static archives and look-alikes are not libclang"
    );
}

#[test]
fn libclang_path_honoured_or_ignored_when_it_points_nowhere() {
    let (line, _) = libclang_line(
        &["opt/clang/lib/libclang.so"],
        &[("LIBCLANG_PATH", "/opt/clang/lib")],
    );
    assert_eq!(line, None, "LIBCLANG_PATH holding libclang.so is used");

    let (line, stderr) = libclang_line(&[], &[("LIBCLANG_PATH", "/nowhere")]);
    assert!(
        line.is_some(),
        "LIBCLANG_PATH pointing nowhere is not libclang"
    );
    assert!(
        stderr.contains("LIBCLANG_PATH=/nowhere holds no libclang.so"),
        "{stderr}"
    );

    // Pointing at a folder with only libclang-cpp: ignored, and the system's libclang found.
    let (line, stderr) = libclang_line(
        &[
            "opt/llvm/libclang-cpp.so.14",
            "usr/lib/llvm-14/lib/libclang.so.1",
        ],
        &[("LIBCLANG_PATH", "/opt/llvm")],
    );
    assert_eq!(line, None);
    assert!(stderr.contains("ignoring it"), "{stderr}");
}

/// A folder of fake programs, each a shell script, put first on PATH.
fn fake_bin(wd: &Workdir, programs: &[(&str, &str)]) -> String {
    let bin = wd.path("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    for (name, body) in programs {
        let path = bin.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn test_check(wd: &Workdir, env: &[(&str, &str)]) -> String {
    with_deps(wd, &["--check", "--test"], env).stdout
}

#[test]
fn rapper_that_is_not_raptors() {
    let wd = Workdir::new();
    // Another program called rapper.
    let path = fake_bin(&wd, &[("rapper", "echo 'rapper: rhymes on demand'")]);
    let out = test_check(&wd, &[("PATH", &path)]);
    assert!(out.contains("missing rapper"), "{out}");
    // One that claims Raptor's version but parses nothing.
    let wd = Workdir::new();
    let path = fake_bin(&wd, &[("rapper", "echo 2.0.15")]);
    let out = test_check(&wd, &[("PATH", &path)]);
    assert!(out.contains("missing rapper"), "{out}");
}

/// Issue #14: the --endpoint tests start Virtuoso; a program of its name that is something else,
/// unixODBC's isql where Virtuoso's isql-vt should be, or no packaged virtuoso.ini, is missing.
#[test]
fn virtuoso_that_is_not_virtuoso() {
    let server = "echo 'Virtuoso Open Source Edition (Column Store) (multi threaded)'";
    let client = "echo 'OpenLink Virtuoso Interactive SQL (Virtuoso)'";
    let ini = ["etc/virtuoso-opensource-7/virtuoso.ini"];
    let line = |programs: &[(&str, &str)], files: &[&str]| {
        let wd = Workdir::new();
        let path = fake_bin(&wd, programs);
        let root = sysroot(&wd, files);
        let out = test_check(&wd, &[("PATH", &path), ("WITH_DEPS_SYSROOT", &root)]);
        out.lines().any(|l| l.starts_with("missing Virtuoso"))
    };
    assert!(line(
        &[
            ("virtuoso-t", "echo 'virtuoso-t: a tenor'"),
            ("isql-vt", client)
        ],
        &ini
    ));
    assert!(line(
        &[
            ("virtuoso-t", server),
            ("isql-vt", "echo 'usage: isql DSN [UID [PWD]] [options]'")
        ],
        &ini
    ));
    assert!(line(&[("virtuoso-t", server), ("isql-vt", client)], &[]));
    assert!(!line(&[("virtuoso-t", server), ("isql-vt", client)], &ini));
}

/// Issue #15: the browser tests need Debian's Chromium and a chromedriver of the same major
/// version (and Selenium); another browser, or a driver of another version, is missing.
#[test]
fn a_browser_and_its_driver_of_one_version() {
    let line = |browser: &str, driver: &str| {
        let wd = Workdir::new();
        let root = sysroot(&wd, &[]);
        for (name, body) in [("chromium", browser), ("chromedriver", driver)] {
            let path = wd.path(&format!("sysroot/usr/bin/{name}"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let out = test_check(&wd, &[("WITH_DEPS_SYSROOT", &root)]);
        out.lines().any(|l| l.starts_with("missing a browser"))
    };
    let chromium = "echo 'Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)'";
    let driver = "echo 'ChromeDriver 156.0.8078.114 (ea19f97)'";
    assert!(line("echo 'Firefox 128.0'", driver));
    assert!(line(chromium, "echo 'ChromeDriver 120.0.6099.0 (x)'"));
    assert!(line(chromium, "exit 1"));
    assert!(!line(chromium, driver));
}

#[test]
fn curl_that_is_not_curl() {
    let wd = Workdir::new();
    let path = fake_bin(&wd, &[("curl", "echo 'curl: a hair styler'")]);
    let out = test_check(&wd, &[("PATH", &path)]);
    assert!(out.contains("missing curl"), "{out}");
    // A curl built without HTTP.
    let wd = Workdir::new();
    let path = fake_bin(
        &wd,
        &[(
            "curl",
            "echo 'curl 8.0.0 (x86_64)'; echo 'Protocols: file ftp'",
        )],
    );
    let out = test_check(&wd, &[("PATH", &path)]);
    assert!(out.contains("missing curl"), "{out}");
}

/// As root, the unreadable-file test needs a setpriv that drops the capabilities that read any
/// file: none at all, or one that runs the command with them all, is reported missing.
#[test]
fn setpriv_absent_or_keeping_roots_rights() {
    let root = std::process::Command::new("id").arg("-u").output().unwrap();
    let as_root = String::from_utf8_lossy(&root.stdout).trim() == "0";
    for body in ["exit 127", "shift; exec \"$@\""] {
        let wd = Workdir::new();
        let path = fake_bin(&wd, &[("setpriv", body)]);
        let out = test_check(&wd, &[("PATH", &path)]);
        // Not root: no file is readable without read permission, nothing to drop.
        assert_eq!(out.contains("missing setpriv"), as_root, "{body}: {out}");
    }
}

#[test]
fn python_packages_that_are_not_the_real_ones() {
    let wd = Workdir::new();
    // Stubs shadowing the real packages: a pyshacl without validate, an rdflib 5.
    wd.write("stubs/pyshacl/__init__.py", "");
    wd.write("stubs/rdflib/__init__.py", "__version__ = '5.0.0'\n");
    let stubs = wd.path("stubs");
    let out = test_check(&wd, &[("PYTHONPATH", stubs.to_str().unwrap())]);
    assert!(out.contains("missing pySHACL and rdflib"), "{out}");
    // No python3 at all.
    let wd = Workdir::new();
    let path = fake_bin(&wd, &[("python3", "exit 127")]);
    let out = test_check(&wd, &[("PATH", &path)]);
    assert!(out.contains("missing pySHACL and rdflib"), "{out}");
}

#[test]
fn a_cxx_compiler_that_does_not_compile() {
    let wd = Workdir::new();
    let path = fake_bin(
        &wd,
        &[("c++", "exit 1"), ("g++", "exit 1"), ("clang++", "exit 1")],
    );
    let run = with_deps(
        &wd,
        &["--check"],
        &[("PATH", &path), ("CXX", "/nowhere/c++")],
    );
    assert!(
        run.stdout.contains("missing a C++ compiler"),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
}

#[test]
fn present_tools_are_not_reported() {
    // The machine running these tests built mss-kg and runs its tests: nothing is missing here.
    let wd = Workdir::new();
    let inherited: Vec<(&str, String)> = ["LIBCLANG_PATH", "CXX"]
        .into_iter()
        .filter_map(|k| Some((k, std::env::var(k).ok()?)))
        .collect();
    let env: Vec<(&str, &str)> = inherited.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = with_deps(&wd, &["--check", "--test"], &env);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, ""),
        "stderr: {}",
        run.stderr
    );
}

/// Without libclang and with no way to install it, the script stops at once with one line, and
/// never starts the command (the build that would fail 15 minutes later).
#[test]
fn stops_before_building_when_it_cannot_install() {
    let wd = Workdir::new();
    let root = sysroot(&wd, &["usr/lib/llvm-14/lib/libclang-cpp.so.14"]);
    // A PATH with bash, cargo and a compiler, but no python3, pip or apt-get.
    let bin = wd.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["bash", "cargo", "c++", "id"] {
        let real = which(tool).unwrap_or_else(|| panic!("{tool} not on PATH"));
        symlink(real, bin.join(tool)).unwrap();
    }
    let marker = wd.path("ran");
    let run = with_deps(
        &wd,
        &["bash", "-c", &format!("echo > {}", marker.display())],
        &[
            ("PATH", bin.to_str().unwrap()),
            ("WITH_DEPS_SYSROOT", &root),
            ("CXX", "c++"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!marker.exists(), "the command ran without libclang");
    let last = run.stderr.trim_end().lines().last().unwrap();
    assert!(
        last.starts_with("with-deps: libclang is missing and cannot be installed here")
            && last.contains("libclang-dev"),
        "{}",
        run.stderr
    );
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}
