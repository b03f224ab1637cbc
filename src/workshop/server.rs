//! The workshop's HTTP server (tiny_http): the embedded page and the JSON API.
//!
//! Routes: `GET /` (the page), `GET /app.js`, `GET /style.css`, `GET /api/params`,
//! `GET /api/setup`, `GET /api/status` (runs computing and waiting), `POST /api/run`;
//! anything else is 404. No path of a request
//! ever reaches the file system: the assets are compiled in.
//!
//! `POST /api/run` answers with a stream of JSON lines (NDJSON, chunked transfer
//! encoding; docs/workshop.md has every message): `start`, then `update` after each
//! finished pair (at most one every [`UPDATE_EVERY`], always the last), `map` once,
//! `done` with the results' CSV files. A run is one thread; its pairs share one
//! rayon pool with every other run.
//!
//! Bounds: a body is at most [`MAX_BODY`] bytes; the work of one request is bounded
//! by the workshop's [`Limits`](super::Limits); [`Options::max_runs`] runs compute
//! at once and [`Options::max_waiting`] more wait their turn (beyond that: 503); one
//! run per client (a client is the connection's address and the request's `client`
//! id; its new request cancels the old), and a run whose client went away stops.
//! Bound to loopback, the server answers only requests addressed to a loopback name
//! (a web page elsewhere cannot reach it by DNS rebinding), and a request whose
//! `Origin` is another site is refused.

use super::api::{ApiError, CURRENT_NAME, Plan, Workshop};
use super::charts::series_charts;
use super::compare::{Event, Request as CompareRequest, Snapshot, stream};
use crate::model::Trace;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};
use tiny_http::{Header, Method, Request, Response};

/// The largest request body read.
pub const MAX_BODY: usize = 64 * 1024;
/// The least time between two updates of a run (the last is always sent).
pub const UPDATE_EVERY: Duration = Duration::from_millis(150);
/// The series are sampled every this many days in updates.
const SERIES_EVERY: u64 = 7;

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const STYLE_CSS: &str = include_str!("page/style.css");

/// The page may load only its own script and style and talk only to this server.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// How many runs compute and wait at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub max_runs: usize,
    pub max_waiting: usize,
}

impl Default for Options {
    /// Two runs compute at once (each uses every worker), 32 wait: a classroom's
    /// worth.
    fn default() -> Options {
        Options {
            max_runs: 2,
            max_waiting: 32,
        }
    }
}

/// A running workshop server.
pub struct Server {
    http: tiny_http::Server,
    shared: Arc<Shared>,
    loopback: bool,
}

struct Shared {
    workshop: Workshop,
    pool: rayon::ThreadPool,
    options: Options,
    /// Each client's run in flight, by its stop flag.
    clients: Mutex<HashMap<String, Arc<AtomicBool>>>,
    slots: Mutex<Slots>,
    freed: Condvar,
}

#[derive(Default)]
struct Slots {
    running: usize,
    waiting: usize,
}

impl Server {
    /// Listens on `addr` (port 0: any free port).
    ///
    /// # Errors
    /// When the address cannot be bound (in use, not this machine's).
    pub fn bind(
        addr: SocketAddr,
        workshop: Workshop,
        pool: rayon::ThreadPool,
        options: Options,
    ) -> io::Result<Server> {
        let http = tiny_http::Server::http(addr).map_err(io::Error::other)?;
        Ok(Server {
            http,
            shared: Arc::new(Shared {
                workshop,
                pool,
                options,
                clients: Mutex::new(HashMap::new()),
                slots: Mutex::new(Slots::default()),
                freed: Condvar::new(),
            }),
            loopback: addr.ip().is_loopback(),
        })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.http.server_addr().to_ip()
    }

    /// Answers requests until `stop` is set, then stops every run.
    pub fn serve(&self, stop: &AtomicBool) {
        while !stop.load(Ordering::Relaxed) {
            match self.http.recv_timeout(Duration::from_millis(100)) {
                Ok(Some(request)) => self.answer(request),
                Ok(None) => {}
                // A connection that failed mid-request concerns that client only.
                Err(_) => {}
            }
        }
        for flag in lock(&self.shared.clients).values() {
            flag.store(true, Ordering::Relaxed);
        }
    }

    fn answer(&self, request: Request) {
        let path = request
            .url()
            .split(['?', '#'])
            .next()
            .unwrap_or("/")
            .to_string();
        if let Err(why) = self.allowed(&request) {
            let _ = request.respond(error_response(&ApiError {
                status: 403,
                error: why,
                path: None,
            }));
            return;
        }
        let method = request.method().clone();
        let shared = &self.shared;
        let reply = match (&method, path.as_str()) {
            (Method::Get, "/" | "/index.html") => page(INDEX_HTML, "text/html; charset=utf-8"),
            (Method::Get, "/app.js") => page(APP_JS, "text/javascript; charset=utf-8"),
            (Method::Get, "/style.css") => page(STYLE_CSS, "text/css; charset=utf-8"),
            (Method::Get, "/api/params") => json_response(200, &shared.workshop.params_json),
            (Method::Get, "/api/setup") => json_response(200, &shared.workshop.setup_json),
            (Method::Get, "/api/status") => {
                let slots = lock(&shared.slots);
                let status = json!({"running": slots.running, "waiting": slots.waiting});
                drop(slots);
                json_response(200, &status.to_string())
            }
            (Method::Post, "/api/run") => {
                let shared = Arc::clone(shared);
                // A run is long: it gets its own thread, so the server keeps answering.
                // If no thread can be made, the request goes with the closure and its
                // client sees the connection close.
                let _ = std::thread::Builder::new()
                    .name("workshop-run".to_string())
                    .spawn(move || run(&shared, request));
                return;
            }
            (
                _,
                "/" | "/index.html" | "/app.js" | "/style.css" | "/api/params" | "/api/setup"
                | "/api/status" | "/api/run",
            ) => error_response(&ApiError {
                status: 405,
                error: format!("{method} is not allowed on {path}"),
                path: None,
            }),
            _ => error_response(&ApiError {
                status: 404,
                error: format!("no such page: {path}"),
                path: None,
            }),
        };
        let _ = request.respond(reply);
    }

    /// Refuses requests addressed to another name when bound to loopback, and those
    /// a page of another site sends.
    fn allowed(&self, request: &Request) -> Result<(), String> {
        let header = |name: &str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
                .map(|h| h.value.as_str().to_string())
        };
        let host = header("Host").unwrap_or_default();
        if self.loopback {
            let name = host_name(&host);
            if !matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
                return Err(format!(
                    "this workshop answers only on this machine (127.0.0.1), not as `{host}`"
                ));
            }
        }
        if let Some(origin) = header("Origin") {
            let origin_host = origin.split_once("://").map_or(origin.as_str(), |(_, h)| h);
            if origin_host != host {
                return Err(format!("requests from {origin} are not accepted"));
            }
        }
        Ok(())
    }
}

/// The name part of a `Host` header (`localhost:8080` is `localhost`).
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host
            .split_once(']')
            .map_or(host, |(h, _)| &host[..=h.len()]);
    }
    host.split(':').next().unwrap_or(host)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn header(name: &str, value: &str) -> Header {
    // Every name and value here is ASCII, which is all `from_bytes` refuses.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("an ASCII header")
}

fn page(body: &'static str, content_type: &str) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Content-Security-Policy", POLICY))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Cache-Control", "no-store"))
}

fn json_response(status: u16, body: &str) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Cache-Control", "no-store"))
}

fn error_response(err: &ApiError) -> Response<io::Cursor<Vec<u8>>> {
    json_response(err.status, &serde_json::to_string(err).unwrap_or_default())
}

/// Reads a body of at most [`MAX_BODY`] bytes.
fn read_body(request: &mut Request) -> Result<Vec<u8>, ApiError> {
    let too_big = || ApiError {
        status: 413,
        error: format!("the request body is larger than {MAX_BODY} bytes"),
        path: None,
    };
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err(too_big());
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| ApiError {
            status: 400,
            error: format!("cannot read the request: {e}"),
            path: None,
        })?;
    if body.len() > MAX_BODY {
        return Err(too_big());
    }
    Ok(body)
}

/// One `POST /api/run`, on its own thread.
fn run(shared: &Shared, mut request: Request) {
    let peer = request
        .remote_addr()
        .map_or_else(|| "unknown".to_string(), |a| a.ip().to_string());
    let plan = read_body(&mut request).and_then(|body| shared.workshop.plan(&body, &peer));
    let plan = match plan {
        Ok(plan) => plan,
        Err(err) => {
            let _ = request.respond(error_response(&err));
            return;
        }
    };
    // Claim a place in the queue first: a full queue is refused before anything
    // streams.
    {
        let mut slots = lock(&shared.slots);
        if slots.waiting >= shared.options.max_waiting {
            drop(slots);
            let _ = request.respond(error_response(&ApiError {
                status: 503,
                error: format!(
                    "{} runs are already waiting; try again in a moment",
                    shared.options.max_waiting
                ),
                path: None,
            }));
            return;
        }
        slots.waiting += 1;
    }
    let stop = Arc::new(AtomicBool::new(false));
    if let Some(old) = lock(&shared.clients).insert(plan.client.clone(), Arc::clone(&stop)) {
        old.store(true, Ordering::Relaxed);
    }
    let mut out = Stream::open(request.into_writer(), Arc::clone(&stop));
    let started = wait_for_slot(shared, &stop, &mut out);
    if started {
        compute(shared, &plan, &stop, &mut out);
        let mut slots = lock(&shared.slots);
        slots.running -= 1;
        drop(slots);
        shared.freed.notify_all();
    }
    out.finish();
    let mut clients = lock(&shared.clients);
    if clients
        .get(&plan.client)
        .is_some_and(|f| Arc::ptr_eq(f, &stop))
    {
        clients.remove(&plan.client);
    }
}

/// Waits for a free slot, telling the client once a second that it waits; false if
/// the run was cancelled while waiting (it leaves the queue either way).
fn wait_for_slot(shared: &Shared, stop: &AtomicBool, out: &mut Stream) -> bool {
    let mut slots = lock(&shared.slots);
    let mut told = Instant::now() - Duration::from_secs(1);
    loop {
        if stop.load(Ordering::Relaxed) {
            slots.waiting -= 1;
            return false;
        }
        if slots.running < shared.options.max_runs {
            slots.waiting -= 1;
            slots.running += 1;
            return true;
        }
        if told.elapsed() >= Duration::from_secs(1) {
            let ahead = slots.running + slots.waiting - shared.options.max_runs;
            drop(slots);
            out.send(&json!({"type": "queued", "ahead": ahead}));
            told = Instant::now();
            slots = lock(&shared.slots);
            continue;
        }
        slots = shared
            .freed
            .wait_timeout(slots, Duration::from_millis(200))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

/// Runs the comparison and streams it.
fn compute(shared: &Shared, plan: &Plan, stop: &AtomicBool, out: &mut Stream) {
    let base = &shared.workshop.base;
    out.send(&json!({
        "type": "start",
        "baseline": base.name,
        "replications": plan.replications,
        "seed": plan.seed,
        "changed": plan.changed,
        "scenario": plan.text,
    }));
    let names = [base.name.as_str(), CURRENT_NAME];
    let warmup = base
        .params
        .warmup_ticks()
        .min(plan.current.params.warmup_ticks());
    let request = CompareRequest {
        base: &base.params,
        current: &plan.current.params,
        names,
        replications: plan.replications,
        seed: plan.seed,
        every: SERIES_EVERY,
        map: plan.map,
    };
    let mut last_sent = None::<Instant>;
    let mut pending: Option<Snapshot> = None;
    let send_update = |out: &mut Stream, s: &Snapshot| {
        let charts = if plan.charts {
            series_charts(s, names, warmup)
        } else {
            vec![]
        };
        out.send(&Update {
            kind: "update",
            snapshot: s,
            charts,
        });
    };
    let results = stream(
        &request,
        &shared.pool,
        &|| stop.load(Ordering::Relaxed),
        &mut |event| match event {
            Event::Snapshot(s) => {
                let due = last_sent.is_none_or(|t| t.elapsed() >= UPDATE_EVERY);
                if due || s.replications == s.target {
                    send_update(out, s);
                    last_sent = Some(Instant::now());
                    pending = None;
                } else {
                    pending = Some(s.clone());
                }
            }
            Event::Map(trace) => out.send(&map_message(trace, &shared.workshop)),
        },
    );
    if let Some(s) = pending {
        send_update(out, &s);
    }
    out.send(&json!({
        "type": "done",
        "stopped": !matches!(results.end, crate::runner::RunEnd::Completed),
        "replications": results.replications,
        "runs_csv": results.runs_csv,
        "comparison_csv": results.comparison_csv,
    }));
}

#[derive(Serialize)]
struct Update<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    snapshot: &'a Snapshot,
    /// SVG of each series, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    charts: Vec<String>,
}

/// The map as sent: values rounded to 3 decimals, moves as `[day, from, to, who]`.
fn map_message(trace: &Trace, workshop: &Workshop) -> serde_json::Value {
    let metrics: Vec<&str> = workshop
        .model()
        .trace_metrics()
        .iter()
        .map(|m| m.name)
        .collect();
    let values: Vec<f32> = trace
        .values
        .iter()
        .map(|v| (v * 1000.0).round() / 1000.0)
        .collect();
    let moves: Vec<serde_json::Value> = trace
        .moves
        .iter()
        .map(|m| json!([m.day, m.from, m.to, m.who]))
        .collect();
    json!({
        "type": "map",
        "width": trace.width,
        "height": trace.height,
        "days": trace.days,
        "metrics": metrics,
        "values": values,
        "moves": moves,
    })
}

/// A streamed response: chunked JSON lines. A write that fails (the client went
/// away) stops the run.
struct Stream {
    out: Box<dyn Write + Send>,
    stop: Arc<AtomicBool>,
    broken: bool,
}

impl Stream {
    fn open(mut out: Box<dyn Write + Send>, stop: Arc<AtomicBool>) -> Stream {
        let head = "HTTP/1.1 200 OK\r\n\
            Content-Type: application/x-ndjson\r\n\
            Cache-Control: no-store\r\n\
            X-Content-Type-Options: nosniff\r\n\
            Transfer-Encoding: chunked\r\n\
            Connection: close\r\n\r\n";
        let broken = out
            .write_all(head.as_bytes())
            .and_then(|()| out.flush())
            .is_err();
        if broken {
            stop.store(true, Ordering::Relaxed);
        }
        Stream { out, stop, broken }
    }

    /// Sends one message as one line in one chunk.
    fn send(&mut self, message: &impl Serialize) {
        if self.broken {
            return;
        }
        let mut line = serde_json::to_vec(message).unwrap_or_default();
        line.push(b'\n');
        let written = write!(self.out, "{:x}\r\n", line.len())
            .and_then(|()| self.out.write_all(&line))
            .and_then(|()| self.out.write_all(b"\r\n"))
            .and_then(|()| self.out.flush());
        if written.is_err() {
            self.broken = true;
            self.stop.store(true, Ordering::Relaxed);
        }
    }

    fn finish(mut self) {
        if !self.broken {
            let _ = self
                .out
                .write_all(b"0\r\n\r\n")
                .and_then(|()| self.out.flush());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        assert_eq!(host_name("localhost:8080"), "localhost");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
        assert_eq!(host_name("[::1]:80"), "[::1]");
        assert_eq!(host_name("evil.example:80"), "evil.example");
    }
}
