//! `mss-kg man`: man pages, rendered from the clap definitions.

use super::Context;
use crate::cli::{Cli, ManArgs};
use anyhow::{Context as _, Result};
use clap::CommandFactory;
use std::io::Write;

pub fn run(ctx: &Context, args: ManArgs) -> Result<()> {
    let command = Cli::command();
    if let Some(dir) = args.dir {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create '{}'", dir.display()))?;
        clap_mangen::generate_to(command, &dir)
            .with_context(|| format!("cannot write man pages into '{}'", dir.display()))?;
        ctx.printer
            .note(format!("wrote man pages into '{}'", dir.display()));
        return Ok(());
    }
    let mut out = ctx.printer.stdout();
    clap_mangen::Man::new(command).render(&mut out)?;
    out.flush()?;
    Ok(())
}
