//! `mss-kg serve`: the store as a read-only SPARQL endpoint.

use super::Context;
use crate::cli::ServeArgs;
use crate::server::{self, Endpoint};
use crate::store::Access;
use anyhow::{Context as _, Result, bail};
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
    let backend = ctx.backend.open(Access::Read)?;
    let store = backend.store()?;
    let timeout = ctx.timeout.unwrap_or(60);
    let endpoint = Endpoint::new(
        store.store.clone(),
        (timeout > 0).then(|| Duration::from_secs(timeout)),
        usize::try_from(args.max_queries).unwrap_or(usize::MAX),
    );
    let max_connections = usize::try_from(args.max_connections).unwrap_or(usize::MAX);
    let server = server::start(endpoint, &addresses, max_connections)
        .with_context(|| format!("cannot listen on {}", args.bind.join(", ")))?;
    for address in &addresses {
        ctx.printer.note(format!(
            "listening on http://{address}/query (Ctrl-C to stop)"
        ));
    }
    server.join().context("the server stopped")?;
    drop(backend);
    Ok(())
}
