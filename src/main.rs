//! The `mss-kg` binary: parse the command line, run the command, turn an error into one line on
//! stderr and an exit code (0 success, 1 failure, 2 usage; a closed pipe is success).

mod cli;
mod cmd;
mod complete;

use clap::Parser;
use cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Called back by the shell's completion script (`mss-kg completions SHELL`): answers and exits.
    clap_complete::CompleteEnv::with_factory(<Cli as clap::CommandFactory>::command)
        .var(complete::VAR)
        .bin("mss-kg")
        .complete();
    let cli = Cli::parse();
    if matches!(cli.command, cli::Command::Serve(_)) {
        // `serve` evaluates each query on the thread of its connection, which oxhttp starts
        // with the default stack size: make that size fit the deepest query the limits allow.
        // SAFETY: no other thread exists yet, so nothing reads the environment meanwhile.
        unsafe {
            std::env::set_var(
                "RUST_MIN_STACK",
                mss_kg::sparql::limits::STACK_SIZE.to_string(),
            );
        }
    }
    // --timeout bounds the whole command (serve applies it to each query instead). Queries on
    // the store are cancelled at the deadline and say so; work that cannot notice cancellation
    // (a large join in memory, a parse) is stopped half a second later by ending the process,
    // which writes nothing: every write commits once, at its end (see "Guarantees").
    let limit = match (&cli.command, cli.global.timeout) {
        (cli::Command::Serve(_), _) | (_, None | Some(0)) => None,
        (_, Some(secs)) => Some(std::time::Duration::from_secs(secs)),
    };
    // Commands run on a thread whose stack is sized for the deepest query the limits allow
    // (issue #20: a deep query once overflowed the main thread's stack and aborted).
    let (done, finished) = std::sync::mpsc::channel();
    let command = std::thread::Builder::new()
        .name("mss-kg".into())
        .stack_size(mss_kg::sparql::limits::STACK_SIZE)
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| cmd::run(cli)));
            let _ = done.send(());
            result
        })
        .expect("the command thread starts");
    if let Some(limit) = limit
        && finished
            .recv_timeout(limit + std::time::Duration::from_millis(500))
            .is_err()
    {
        eprintln!("mss-kg: stopped after {}s (--timeout)", limit.as_secs());
        std::process::exit(1);
    }
    let result = match command
        .join()
        .expect("the command thread catches its panics")
    {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<mss_kg::usage::Silent>() => {
            let code = error
                .downcast_ref::<mss_kg::usage::Silent>()
                .map_or(1, |s| s.0);
            ExitCode::from(code)
        }
        Err(error) => {
            let broken_pipe = error.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            // The chain joined by ": ", leaving out a cause whose text its parent already shows
            // (Oxigraph's errors often print their source themselves).
            let mut message = String::new();
            for cause in error.chain() {
                let text = cause.to_string();
                if !message.contains(&text) {
                    if !message.is_empty() {
                        message.push_str(": ");
                    }
                    message.push_str(&text);
                }
            }
            let message = message.replace('\n', " ");
            eprintln!("mss-kg: {message}");
            if mss_kg::usage::is_usage(&error) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
