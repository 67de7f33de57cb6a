//! `mss-kg completions`: a shell completion script from the clap definitions.

use super::Context;
use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;

pub fn run(ctx: &Context, args: CompletionsArgs) -> Result<()> {
    let mut out = ctx.printer.stdout();
    clap_complete::generate(args.shell, &mut Cli::command(), "mss-kg", &mut out);
    out.flush()?;
    Ok(())
}
