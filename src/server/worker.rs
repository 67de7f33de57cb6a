//! Query workers: each query is parsed and evaluated on a thread of its own with a stack sized for
//! the [`limits`](crate::sparql::limits), at most `--max-queries` at once, and answers in batches.
//!
//! The first batch of results (16 KB, or whatever came in the first 100 ms, or all of it) is
//! computed before the status line is sent, so an error or a timeout that comes early is a real
//! 4xx/5xx with its message. One that comes after the status was sent ends the response as
//! failed: the body stops without the last chunk of its chunked encoding and the connection is
//! closed, which every HTTP client reports as an error, never as a complete answer (issue #20).

use super::protocol::{HttpError, bad_request, negotiate, server_error};
use crate::sparql::{self, Dataset, Deadline};
use oxhttp::model::StatusCode;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults};
use oxigraph::store::Store;
use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::{Duration, Instant};

/// Results are sent in batches of about this many bytes...
const BATCH_BYTES: usize = 16 * 1024;
/// ... or of what came in this long, whichever is first.
const BATCH_TIME: Duration = Duration::from_millis(100);

/// One query to answer.
pub struct Job {
    pub store: Store,
    pub text: String,
    pub dataset: Dataset,
    /// The request's `Accept` header.
    pub accept: Option<String>,
    pub timeout: Option<Duration>,
}

/// How a query began: an error, a whole answer, or the first batch of a streamed one.
pub enum First {
    Error(HttpError),
    Whole {
        media_type: &'static str,
        body: Vec<u8>,
    },
    Streaming {
        media_type: &'static str,
        body: ChannelBody,
    },
}

/// The bound on queries in flight.
pub struct Slots {
    used: AtomicUsize,
    max: usize,
}

/// A place among the queries in flight, given back when dropped.
pub struct Slot(Arc<Slots>);

impl Slots {
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Self {
            used: AtomicUsize::new(0),
            max,
        })
    }

    /// A place, unless `max` queries are running.
    pub fn try_take(self: &Arc<Self>) -> Option<Slot> {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max).then_some(n + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(self)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.used.fetch_sub(1, Ordering::AcqRel);
    }
}

enum Msg {
    /// The first batch; `done` when it is the whole answer.
    Head {
        media_type: &'static str,
        bytes: Vec<u8>,
        done: bool,
    },
    Chunk(Vec<u8>),
    End,
    /// An error before anything was sent.
    Error(HttpError),
    /// An error after the first batch was sent.
    Fail(String),
}

/// Starts `job` on a worker thread holding `slot`, and waits for its first batch, or until its
/// time is up: Oxigraph checks a query's deadline only when it reads the store, so work on what
/// it has read already (a cross product, say) may run on past it. The client gets its 503 at the
/// deadline all the same; the worker stops at its next check, or when it has a first batch and
/// finds nobody waiting for it, and keeps its place among the queries in flight until then.
pub fn start(job: Job, slot: Slot) -> First {
    let (tx, rx) = sync_channel(2);
    let timeout = job.timeout;
    let spawned = std::thread::Builder::new()
        .name("mss-kg query".into())
        .stack_size(sparql::limits::STACK_SIZE)
        .spawn(move || {
            let _slot = slot;
            let mut out = Out::new(tx);
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| evaluate(job, &mut out)))
                .unwrap_or_else(|_| {
                    Err(Stop::Http(server_error("the query failed: internal error")))
                });
            match result {
                Ok(()) => out.finish(),
                Err(Stop::Http(error)) => out.fail(error),
                Err(Stop::Gone) => {}
            }
        });
    if let Err(e) = spawned {
        return First::Error((
            StatusCode::SERVICE_UNAVAILABLE,
            format!("cannot start a thread for the query: {e}"),
        ));
    }
    let first = match timeout {
        Some(timeout) => rx
            .recv_timeout(timeout + Duration::from_millis(200))
            .map_err(|e| matches!(e, std::sync::mpsc::RecvTimeoutError::Timeout)),
        None => rx.recv().map_err(|_| false),
    };
    match first {
        Err(true) => First::Error(timed_out(timeout)),
        Ok(Msg::Head {
            media_type,
            bytes,
            done: true,
        }) => First::Whole {
            media_type,
            body: bytes,
        },
        Ok(Msg::Head {
            media_type, bytes, ..
        }) => First::Streaming {
            media_type,
            body: ChannelBody {
                rx,
                current: bytes,
                position: 0,
                ended: false,
            },
        },
        Ok(Msg::Error(error)) => First::Error(error),
        Ok(_) | Err(_) => First::Error(server_error("the query stopped before answering")),
    }
}

/// Why evaluation stopped early.
enum Stop {
    Http(HttpError),
    /// The client went away: nobody to answer.
    Gone,
}

impl From<HttpError> for Stop {
    fn from(error: HttpError) -> Self {
        Self::Http(error)
    }
}

/// What the worker has written and not yet sent.
#[derive(Clone, Default)]
struct Buffer(Rc<RefCell<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct Out {
    tx: SyncSender<Msg>,
    buffer: Buffer,
    media_type: &'static str,
    started: bool,
    since: Instant,
}

impl Out {
    fn new(tx: SyncSender<Msg>) -> Self {
        Self {
            tx,
            buffer: Buffer::default(),
            media_type: "text/plain",
            started: false,
            since: Instant::now(),
        }
    }

    /// Sends what is buffered if a batch is full or due.
    fn maybe_send(&mut self) -> Result<(), Stop> {
        let len = self.buffer.0.borrow().len();
        if len >= BATCH_BYTES || (len > 0 && self.since.elapsed() >= BATCH_TIME) {
            let bytes = std::mem::take(&mut *self.buffer.0.borrow_mut());
            let msg = if self.started {
                Msg::Chunk(bytes)
            } else {
                self.started = true;
                Msg::Head {
                    media_type: self.media_type,
                    bytes,
                    done: false,
                }
            };
            self.tx.send(msg).map_err(|_| Stop::Gone)?;
            self.since = Instant::now();
        }
        Ok(())
    }

    fn finish(self) {
        let bytes = std::mem::take(&mut *self.buffer.0.borrow_mut());
        if self.started {
            if !bytes.is_empty() {
                let _ = self.tx.send(Msg::Chunk(bytes));
            }
            let _ = self.tx.send(Msg::End);
        } else {
            let _ = self.tx.send(Msg::Head {
                media_type: self.media_type,
                bytes,
                done: true,
            });
        }
    }

    fn fail(self, (status, message): HttpError) {
        let _ = self.tx.send(if self.started {
            Msg::Fail(message)
        } else {
            Msg::Error((status, message))
        });
    }
}

/// An evaluation error as HTTP: a timeout is 503, anything else 500.
fn evaluation_error(error: &QueryEvaluationError, deadline: &Deadline) -> HttpError {
    if sparql::is_cancelled(error) || deadline.expired() {
        return timed_out(deadline.timeout());
    }
    server_error(format!("the query failed: {error}"))
}

fn timed_out(timeout: Option<Duration>) -> HttpError {
    let secs = timeout.map_or(0, |t| t.as_secs());
    (
        StatusCode::SERVICE_UNAVAILABLE,
        format!("the query ran past the server's timeout of {secs} s and was cancelled"),
    )
}

/// Stops a query whose time is up: results that come from memory pass here without Oxigraph
/// checking its deadline.
fn check(deadline: &Deadline) -> Result<(), HttpError> {
    if deadline.expired() {
        return Err(timed_out(deadline.timeout()));
    }
    Ok(())
}

fn evaluate(job: Job, out: &mut Out) -> Result<(), Stop> {
    let deadline = Deadline::after(job.timeout);
    let query =
        sparql::parse_algebra(&job.text, "query").map_err(|e| bad_request(format!("{e:#}")))?;
    let accept = job.accept.as_deref();
    let graph_format =
        match &query {
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => Some(
                negotiate(accept, RdfFormat::from_media_type, RdfFormat::NTriples)?,
            ),
            _ => None,
        };
    let results_format = match graph_format {
        None => Some(negotiate(
            accept,
            QueryResultsFormat::from_media_type,
            QueryResultsFormat::Json,
        )?),
        Some(_) => None,
    };
    let results = sparql::prepare(query, job.dataset, Some(&deadline))
        .on_store(&job.store)
        .execute()
        .map_err(|e| evaluation_error(&e, &deadline))?;
    let io = |e: io::Error| server_error(format!("cannot write the results: {e}"));
    match (results, results_format, graph_format) {
        (QueryResults::Solutions(solutions), Some(format), _) => {
            out.media_type = format.media_type();
            let mut writer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(out.buffer.clone(), solutions.variables().to_vec())
                .map_err(io)?;
            for solution in solutions {
                let solution = solution.map_err(|e| evaluation_error(&e, &deadline))?;
                check(&deadline)?;
                writer.serialize(&solution).map_err(io)?;
                out.maybe_send()?;
            }
            writer.finish().map_err(io)?;
        }
        (QueryResults::Boolean(value), Some(format), _) => {
            out.media_type = format.media_type();
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(out.buffer.clone(), value)
                .map_err(io)?;
        }
        (QueryResults::Graph(triples), _, Some(format)) => {
            out.media_type = format.media_type();
            let mut writer = crate::output::rdf_serializer(format).for_writer(out.buffer.clone());
            for triple in sparql::distinct_triples(triples) {
                let triple = triple.map_err(|e| evaluation_error(&e, &deadline))?;
                check(&deadline)?;
                writer.serialize_triple(&triple).map_err(io)?;
                out.maybe_send()?;
            }
            writer.finish().map_err(io)?;
        }
        _ => return Err(server_error("the query's results do not match its form").into()),
    }
    Ok(())
}

/// A response body fed by a worker: it ends cleanly only when the worker says the answer is
/// complete, and fails (so that the connection is cut without the final chunk) otherwise.
pub struct ChannelBody {
    rx: Receiver<Msg>,
    current: Vec<u8>,
    position: usize,
    ended: bool,
}

impl Read for ChannelBody {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.position == self.current.len() {
            if self.ended {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Msg::Chunk(bytes)) => {
                    self.current = bytes;
                    self.position = 0;
                }
                Ok(Msg::End) => self.ended = true,
                Ok(Msg::Fail(message)) => {
                    eprintln!("mss-kg serve: the response was cut: {message}");
                    return Err(io::Error::other(message));
                }
                Ok(_) | Err(_) => {
                    eprintln!("mss-kg serve: the response was cut: the query stopped");
                    return Err(io::Error::other("the query stopped"));
                }
            }
        }
        let n = out.len().min(self.current.len() - self.position);
        out[..n].copy_from_slice(&self.current[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}
