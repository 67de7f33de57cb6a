//! `mss-kg man`: man pages, rendered from the clap definitions, with the EXIT STATUS and
//! ENVIRONMENT sections clap does not know.

use super::Context;
use crate::cli::{Cli, ManArgs};
use anyhow::{Context as _, Result};
use clap::CommandFactory;
use clap_mangen::Man;
use std::io::Write;

/// What every command's exit code means.
const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success (a closed pipe, as in \fBmss-kg query ... | head\fR, is success too).
.TP
\fB1\fR
Failure: bad input (malformed RDF or SPARQL, a missing file, a wrong parameter value), a busy
store, an unreachable endpoint, a query past its timeout. One line on stderr says what, naming
the file, line and column where known; the store is left as it was.
.TP
\fB2\fR
Usage: an unknown option, subcommand, format, saved-query parameter, or a value of the wrong
form.
"#;

/// The environment variables mss-kg reads.
const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBMSS_KG_STORE\fR
The store folder, as \fB--store\fR (default: mss-kg/store in the user's data folder).
.TP
\fBMSS_KG_QUERIES\fR
A folder of saved queries, as \fB--queries\fR.
.TP
\fBMSS_KG_ENDPOINT\fR, \fBMSS_KG_UPDATE_ENDPOINT\fR, \fBMSS_KG_GRAPH_STORE\fR
A remote SPARQL engine to work on instead of the store, as \fB--endpoint\fR,
\fB--update-endpoint\fR and \fB--graph-store\fR (\fB--local\fR and \fB--memory\fR win).
.TP
\fBMSS_KG_TOKEN\fR
A bearer token sent to the endpoint; for \fBserve --writable\fR, the token writes need.
.TP
\fBMSS_KG_BASIC_AUTH\fR
\fIuser:password\fR sent to the endpoint with HTTP Basic authentication.
.TP
\fBCOLUMNS\fR
The width tables fit in (default: the terminal's; none when piped).
.TP
\fBMSS_KG_COMPLETE\fR
Set by the completion script of \fBmss-kg completions\fR when the shell asks for completions.
"#;

/// One command's page: clap_mangen's sections, then ours.
fn render(command: &clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let man = Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if command.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(out)?;
    }
    out.write_all(EXIT_STATUS.as_bytes())?;
    out.write_all(ENVIRONMENT.as_bytes())?;
    if command.get_version().is_some() {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// Every page the main page refers to: one per command and subcommand (`mss-kg-load.1`...).
fn write_all(command: &clap::Command, dir: &std::path::Path) -> Result<usize> {
    let mut written = 0;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        written += write_all(sub, dir)?;
    }
    let path = dir.join(Man::new(command.clone()).get_filename());
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&path)
            .with_context(|| format!("cannot write '{}'", path.display()))?,
    );
    render(command, &mut file)?;
    file.flush()?;
    Ok(written + 1)
}

pub fn run(ctx: &Context, args: ManArgs) -> Result<()> {
    let mut command = Cli::command().disable_help_subcommand(true);
    // Names pages and synopses as `mss-kg load`, as the subcommands section refers to them.
    command.build();
    if let Some(dir) = args.dir {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create '{}'", dir.display()))?;
        let written = write_all(&command, &dir)
            .with_context(|| format!("cannot write man pages into '{}'", dir.display()))?;
        ctx.printer.note(format!(
            "wrote {written} man pages into '{}'",
            dir.display()
        ));
        return Ok(());
    }
    let mut out = ctx.printer.stdout();
    render(&command, &mut out)?;
    out.flush()?;
    Ok(())
}
