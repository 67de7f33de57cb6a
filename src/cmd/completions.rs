//! `mss-kg completions`: the shell's registration script for completions that the binary
//! computes itself when the shell asks (saved-query names, parameters and formats included).

use super::Context;
use crate::cli::CompletionsArgs;
use anyhow::Result;
use clap_complete::Shell;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use std::io::Write;

pub fn run(ctx: &Context, args: CompletionsArgs) -> Result<()> {
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Elvish => &Elvish,
        Shell::PowerShell => &Powershell,
        other => anyhow::bail!("no completion for {other}"),
    };
    let mut out = ctx.printer.stdout();
    shell.write_registration(crate::complete::VAR, "mss-kg", "mss-kg", "mss-kg", &mut out)?;
    out.flush()?;
    Ok(())
}
