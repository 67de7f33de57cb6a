//! Answering one query, on the connection's own thread, in batches.
//!
//! The first batch of results (16 KB, or all of them) is computed before the status line is sent,
//! so an error or a timeout that comes early is a real 4xx/5xx with its message. One that comes
//! after the status was sent ends the response as failed: the body stops without the last chunk
//! of its chunked encoding and the connection is closed, which every HTTP client reports as an
//! error, never as a complete answer (issue #20). The rest of the answer is computed as the
//! client reads it.
//!
//! Queries run on the thread of their connection, whose stack `mss-kg serve` sizes for the
//! [`limits`](crate::sparql::limits) (`RUST_MIN_STACK`, set in `main` before any thread starts):
//! handing each query to a thread of its own cost a third of the throughput of small queries.
//! At most `--max-queries` run at once ([`Slots`]).

use super::protocol::{HttpError, negotiate, server_error};
use crate::sparql::{self, Dataset, Deadline};
use oxhttp::model::StatusCode;
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryEvaluationError, QueryResults};
use oxigraph::store::Store;
use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Results are computed and sent in batches of about this many bytes.
const BATCH_BYTES: usize = 16 * 1024;

/// One query to answer.
pub struct Job {
    pub store: Store,
    pub query: spargebra::Query,
    pub dataset: Dataset,
    /// The request's `Accept` header.
    pub accept: Option<String>,
    pub timeout: Option<Duration>,
    /// The RDF format of a graph result when the client takes any.
    pub graph_default: RdfFormat,
}

/// How a query began: an error, a whole answer, or the first batch of a longer one.
pub enum First {
    Error(HttpError),
    Whole {
        media_type: &'static str,
        body: Vec<u8>,
    },
    Streaming {
        media_type: &'static str,
        body: Answer,
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

/// What a serializer has written and the response has not yet taken.
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

/// Writes the next result into the buffer; `false` once everything is written.
type Step = Box<dyn FnMut(&Deadline) -> Result<bool, HttpError>>;

/// An answer being written: the batch being sent, and what writes the next ones. It holds the
/// query's place among those in flight, and its deadline, until it is complete or dropped.
pub struct Answer {
    buffer: Buffer,
    current: Vec<u8>,
    position: usize,
    step: Option<Step>,
    deadline: Deadline,
    _slot: Slot,
}

impl Answer {
    /// Writes the next batch into `current`.
    fn fill(&mut self) -> Result<(), HttpError> {
        if let Some(step) = self.step.as_mut() {
            while self.buffer.0.borrow().len() < BATCH_BYTES {
                if !step(&self.deadline)? {
                    self.step = None;
                    break;
                }
            }
        }
        self.current = std::mem::take(&mut *self.buffer.0.borrow_mut());
        self.position = 0;
        Ok(())
    }
}

impl Read for Answer {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.position == self.current.len() {
            if self.step.is_none() {
                return Ok(0);
            }
            if let Err((_, message)) = self.fill() {
                // The status line is sent: fail the body, so that the client sees the cut.
                self.step = None;
                eprintln!("mss-kg serve: the response was cut: {message}");
                return Err(io::Error::other(message));
            }
        }
        let n = out.len().min(self.current.len() - self.position);
        out[..n].copy_from_slice(&self.current[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

/// An evaluation error as HTTP: a timeout is 503, anything else 500.
fn evaluation_error(error: &QueryEvaluationError, deadline: &Deadline) -> HttpError {
    if sparql::is_cancelled(error) || deadline.expired() {
        return timed_out(deadline);
    }
    server_error(format!("the query failed: {error}"))
}

fn timed_out(deadline: &Deadline) -> HttpError {
    let secs = deadline.timeout().map_or(0, |t| t.as_secs());
    (
        StatusCode::SERVICE_UNAVAILABLE,
        format!("the query ran past the server's timeout of {secs} s and was cancelled"),
    )
}

/// Stops a query whose time is up: results that come from memory pass here without Oxigraph
/// checking its deadline.
fn check(deadline: &Deadline) -> Result<(), HttpError> {
    if deadline.expired() {
        return Err(timed_out(deadline));
    }
    Ok(())
}

fn write_error(error: io::Error) -> HttpError {
    server_error(format!("cannot write the results: {error}"))
}

/// The step that writes `items` one by one with `write`, checking the deadline at each, then
/// `finish`es the writer.
fn stepper<T: 'static, W: 'static, R: 'static>(
    mut items: impl Iterator<Item = Result<T, QueryEvaluationError>> + 'static,
    writer: W,
    write: fn(&mut W, &T) -> io::Result<()>,
    finish: fn(W) -> io::Result<R>,
) -> Step {
    let io = write_error;
    let mut writer = Some(writer);
    Box::new(move |deadline| {
        let Some(w) = writer.as_mut() else {
            return Ok(false);
        };
        match items.next() {
            Some(item) => {
                let item = item.map_err(|e| evaluation_error(&e, deadline))?;
                check(deadline)?;
                write(w, &item).map_err(io)?;
                Ok(true)
            }
            None => {
                writer.take().map(finish).transpose().map_err(io)?;
                Ok(false)
            }
        }
    })
}

/// Evaluates `job` holding `slot`, up to its first batch.
pub fn start(job: Job, slot: Slot) -> First {
    let deadline = Deadline::after(job.timeout);
    let (media_type, step) = match evaluate(job, &deadline) {
        Ok(begun) => begun,
        Err(error) => return First::Error(error),
    };
    let mut answer = Answer {
        buffer: step.1,
        current: Vec::new(),
        position: 0,
        step: Some(step.0),
        deadline,
        _slot: slot,
    };
    if let Err(error) = answer.fill() {
        return First::Error(error);
    }
    if answer.step.is_none() {
        return First::Whole {
            media_type,
            body: std::mem::take(&mut answer.current),
        };
    }
    First::Streaming {
        media_type,
        body: answer,
    }
}

/// Parses, negotiates and evaluates: the media type, and what writes the results one by one.
fn evaluate(job: Job, deadline: &Deadline) -> Result<(&'static str, (Step, Buffer)), HttpError> {
    let query = job.query;
    let accept = job.accept.as_deref();
    let graph_format =
        match &query {
            spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => Some(
                negotiate(accept, RdfFormat::from_media_type, job.graph_default)?,
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
    let results = sparql::prepare(query, job.dataset, Some(deadline))
        .on_store(&job.store)
        .execute()
        .map_err(|e| evaluation_error(&e, deadline))?;
    let io = write_error;
    let buffer = Buffer::default();
    Ok(match (results, results_format, graph_format) {
        (QueryResults::Solutions(solutions), Some(format), _) => {
            let writer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(buffer.clone(), solutions.variables().to_vec())
                .map_err(io)?;
            let step = stepper(solutions, writer, |w, s| w.serialize(s), |w| w.finish());
            (format.media_type(), (step, buffer))
        }
        (QueryResults::Boolean(value), Some(format), _) => {
            QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(buffer.clone(), value)
                .map_err(io)?;
            let step: Step = Box::new(|_| Ok(false));
            (format.media_type(), (step, buffer))
        }
        (QueryResults::Graph(triples), _, Some(format)) => {
            let writer = crate::output::rdf_serializer(format).for_writer(buffer.clone());
            let step = stepper(
                sparql::distinct_triples(triples),
                writer,
                |w, t| w.serialize_triple(t),
                |w| w.finish(),
            );
            (format.media_type(), (step, buffer))
        }
        _ => return Err(server_error("the query's results do not match its form")),
    })
}
