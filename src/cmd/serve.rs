//! `mss-kg serve`: the store as a SPARQL endpoint, read-only unless `--writable`.

use super::Context;
use crate::cli::ServeArgs;
use anyhow::{Context as _, Result, bail};
use mss_kg::server::{self, Endpoint, Options, store::Writes};
use mss_kg::store::Access;
use std::net::ToSocketAddrs;
use std::time::Duration;

pub fn run(ctx: &Context, args: ServeArgs) -> Result<()> {
    let mut addresses = Vec::new();
    for bind in &args.bind {
        let resolved = bind.to_socket_addrs().with_context(|| {
            format!("--bind '{bind}' is not an address to listen on (HOST:PORT)")
        })?;
        addresses.extend(resolved);
    }
    if addresses.is_empty() {
        bail!("--bind gives no address to listen on");
    }
    let writes = writes(&args, &addresses)?;
    let backend = ctx.backend.open(if writes.enabled {
        Access::Write
    } else {
        Access::Read
    })?;
    let store = backend.store()?;
    let timeout = ctx.timeout.unwrap_or(60);
    let endpoint = Endpoint::new(
        store.store.clone(),
        Options {
            timeout: (timeout > 0).then(|| Duration::from_secs(timeout)),
            max_queries: usize::try_from(args.max_queries).unwrap_or(usize::MAX),
            max_body: args.max_body,
            writes,
            cors: args.cors.clone(),
            queries: ctx.queries.clone(),
            prefixes: store
                .path
                .as_deref()
                .map(mss_kg::prefixes::read_store)
                .unwrap_or_default(),
        },
    );
    let max_connections = usize::try_from(args.max_connections).unwrap_or(usize::MAX);
    let server = server::start(endpoint, &addresses, max_connections)
        .with_context(|| format!("cannot listen on {}", args.bind.join(", ")))?;
    for address in &addresses {
        ctx.printer.note(format!(
            "listening on http://{address}/ (queries at /sparql{}; Ctrl-C to stop)",
            if args.writable {
                ", updates at /update, graphs at /store"
            } else {
                ""
            }
        ));
    }
    server.join().context("the server stopped")?;
    drop(backend);
    Ok(())
}

/// Who may write: nobody without --writable; with it, those with the token, or anyone on a
/// loopback address when there is no token.
fn writes(args: &ServeArgs, addresses: &[std::net::SocketAddr]) -> Result<Writes> {
    if !args.writable {
        return Ok(Writes::default());
    }
    let token = match &args.token_file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read --token-file '{}'", path.display()))?;
            let token = text.trim().to_owned();
            if token.is_empty() {
                bail!("--token-file '{}' is empty", path.display());
            }
            Some(token)
        }
        None => std::env::var(mss_kg::backend::remote::TOKEN_ENV)
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty()),
    };
    if token.is_none() && addresses.iter().any(|a| !a.ip().is_loopback()) {
        bail!(
            "--writable without a token only listens on a loopback address (127.0.0.1, ::1): give --token-file or {}",
            mss_kg::backend::remote::TOKEN_ENV
        );
    }
    Ok(Writes {
        enabled: true,
        token,
    })
}
