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
    // Commands run on a thread whose stack is sized for the deepest query the limits allow
    // (issue #20: a deep query once overflowed the main thread's stack and aborted).
    let command = std::thread::Builder::new()
        .name("mss-kg".into())
        .stack_size(mss_kg::sparql::limits::STACK_SIZE)
        .spawn(move || cmd::run(cli))
        .expect("the command thread starts")
        .join();
    let result = match command {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
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
