//! `cogov workshop` as a client sees it: the server started on an ephemeral port,
//! its JSON API on good and bad input, twenty clients at once, cancellation, a
//! client that goes away, and the downloaded scenario reproducing the numbers with
//! `cogov compare`. The levers are checked against the shipped reform files and
//! docs/levers.md.

use super::util::{SMALL_SCENARIO, cogov, read, repo_path, write};
use cogov::model::Model;
use cogov::scenario::Scenario;
use cogov::schema::levers::LeverKind;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A workshop server for one test, stopped when dropped (a failed assertion too).
pub(super) struct Workshop {
    child: Child,
    addr: SocketAddr,
    /// The page's address, as printed.
    pub(super) url: String,
}

impl Workshop {
    /// `cogov workshop ARGS --port 0` in `dir`, once it prints its address.
    pub(super) fn start(dir: &Path, args: &[&str]) -> Workshop {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cogov"))
            .current_dir(dir)
            .arg("workshop")
            .args(args)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        if read.is_err() || line.is_empty() {
            let _ = child.kill();
            panic!("cogov workshop printed no address: {line:?}");
        }
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        let url = url.to_string();
        Workshop { child, addr, url }
    }

    fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], b"")
    }

    fn post(&self, body: &Value) -> Reply {
        self.send("POST", "/api/run", &[], body.to_string().as_bytes())
    }

    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut stream = self.open(method, path, headers, body);
        let mut reader = BufReader::new(&mut stream);
        let (status, head) = read_head(&mut reader);
        let mut body = Vec::new();
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            while let Some(chunk) = read_chunk(&mut reader) {
                body.extend(chunk);
            }
        } else {
            reader.read_to_end(&mut body).unwrap();
        }
        Reply { status, body }
    }

    /// Sends a request and returns the connection, to read the answer as it comes.
    fn open(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> TcpStream {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(120)))
            .unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        stream
    }

    /// Runs and collects every message of the stream.
    fn run(&self, body: &Value) -> Vec<Value> {
        let mut stream = self.open("POST", "/api/run", &[], body.to_string().as_bytes());
        let mut reader = BufReader::new(&mut stream);
        let (status, _) = read_head(&mut reader);
        assert_eq!(status, 200);
        messages(&mut reader).collect()
    }

    fn status(&self) -> Value {
        self.get("/api/status").json()
    }
}

impl Drop for Workshop {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }
}

/// The status code and the header lines.
fn read_head(reader: &mut impl BufRead) -> (u16, String) {
    let mut head = String::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        head.push_str(&line);
    }
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head)
}

/// One chunk of a chunked body; `None` at its end.
fn read_chunk(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut size = String::new();
    reader.read_line(&mut size).ok()?;
    let size = usize::from_str_radix(size.trim(), 16).ok()?;
    let mut chunk = vec![0; size + 2];
    reader.read_exact(&mut chunk).ok()?;
    chunk.truncate(size);
    (size > 0).then_some(chunk)
}

/// The stream's messages: one JSON line per chunk, as they arrive.
fn messages(reader: &mut impl BufRead) -> impl Iterator<Item = Value> + '_ {
    std::iter::from_fn(move || {
        let chunk = read_chunk(reader)?;
        Some(serde_json::from_slice(&chunk).unwrap())
    })
}

fn of_type<'a>(messages: &'a [Value], kind: &str) -> Vec<&'a Value> {
    messages.iter().filter(|m| m["type"] == kind).collect()
}

fn small_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.toml", SMALL_SCENARIO);
    dir
}

#[test]
fn the_issue_s_example_returns_incidents_and_a_bad_value_names_its_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let w = Workshop::start(dir.path(), &[]);
    let params = w.get("/api/params");
    assert_eq!(params.status, 200);
    let params = params.json();
    // The same fields as `cogov params --format json`, and more.
    let reference: Vec<Value> = serde_json::from_slice(
        &cogov(dir.path())
            .args(["params", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let params = params.as_array().unwrap();
    assert_eq!(params.len(), reference.len());
    for (ours, theirs) in params.iter().zip(&reference) {
        for (key, value) in theirs.as_object().unwrap() {
            assert_eq!(&ours[key], value, "{key} of {}", theirs["name"]);
        }
    }
    let messages = w.run(&json!({"changes": {"liability.clarity": 0.9}, "replications": 4}));
    let done = of_type(&messages, "done");
    assert_eq!(done.len(), 1);
    assert_eq!(done[0]["stopped"], false);
    let last = of_type(&messages, "update").pop().unwrap().clone();
    assert_eq!(last["replications"], 4);
    let card = &last["cards"][0];
    assert_eq!(card["metric"], "incidents_per_1000");
    assert!(card["baseline"].as_f64().unwrap() > 0.0);
    assert!(card["ci95_low"].as_f64().unwrap() <= card["ci95_high"].as_f64().unwrap());

    let bad = w.post(&json!({"changes": {"liability.clarity": 7}, "replications": 4}));
    assert_eq!(bad.status, 422);
    let bad = bad.json();
    assert_eq!(bad["path"], "liability.clarity");
    // The message `cogov check` gives for the same value in a file, location aside.
    write(
        dir.path(),
        "bad.toml",
        &format!(
            "extends = {:?}\n[liability]\nclarity = 7\n",
            repo_path("scenarios/tongxiang_baseline.toml")
        ),
    );
    let check = cogov(dir.path())
        .args(["check", "bad.toml"])
        .output()
        .unwrap();
    let check = String::from_utf8(check.stderr).unwrap();
    let after_location = |m: &str| {
        m.lines()
            .next()
            .unwrap()
            .split_once(": `")
            .unwrap()
            .1
            .to_string()
    };
    assert_eq!(
        after_location(bad["error"].as_str().unwrap()),
        after_location(&check)
    );
}

#[test]
fn bad_requests_get_4xx_and_the_server_keeps_answering() {
    let dir = small_dir();
    let w = Workshop::start(dir.path(), &["small.toml"]);
    let cases: Vec<(Reply, u16)> = vec![
        (w.send("POST", "/api/run", &[], b"{not json"), 400),
        (w.send("POST", "/api/run", &[], b"\xff\xfe"), 400),
        (w.post(&json!({"changes": {"liability.clarty": 0.5}})), 422),
        (
            w.post(&json!({"changes": {"liability.clarity": null}})),
            422,
        ),
        (w.post(&json!({"changes": {"district.width": 1}})), 422),
        (w.post(&json!({"replications": 100_000})), 422),
        (w.post(&json!({"replicas": 3})), 400),
        (w.send("POST", "/api/run", &[], &vec![b' '; 70_000]), 413),
        (w.get("/etc/passwd"), 404),
        (w.get("/../Cargo.toml"), 404),
        (w.send("DELETE", "/api/run", &[], b""), 405),
        (
            w.send(
                "GET",
                "/api/setup",
                &[("Origin", "http://evil.example")],
                b"",
            ),
            403,
        ),
    ];
    for (i, (reply, status)) in cases.iter().enumerate() {
        assert_eq!(
            reply.status,
            *status,
            "case {i}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let message = reply.json();
        assert!(
            message["error"].as_str().is_some_and(|e| !e.is_empty()),
            "case {i}"
        );
    }
    // A name other than this machine's (DNS rebinding) is refused.
    let mut stream = TcpStream::connect(w.addr).unwrap();
    stream
        .write_all(b"GET /api/setup HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    // Garbage that is not HTTP at all.
    let mut stream = TcpStream::connect(w.addr).unwrap();
    let _ = stream.write_all(&[0, 159, 146, 150, b'\r', b'\n', b'\r', b'\n']);
    drop(stream);
    // Still answering, and runs still work.
    assert_eq!(w.get("/api/setup").status, 200);
    let page = w.get("/");
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("<html"));
    let done = w.run(&json!({"replications": 2}));
    assert_eq!(of_type(&done, "done")[0]["replications"], 2);
}

#[test]
fn twenty_clients_at_once_all_get_their_results() {
    let dir = small_dir();
    let w = Workshop::start(dir.path(), &["small.toml"]);
    let results: Vec<Vec<Value>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..20)
            .map(|i| {
                let w = &w;
                s.spawn(move || {
                    let clarity = f64::from(i) / 20.0;
                    w.run(&json!({
                        "changes": {"liability.clarity": clarity},
                        "replications": 3,
                        "client": format!("client-{i}"),
                    }))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, messages) in results.iter().enumerate() {
        let done = of_type(messages, "done");
        assert_eq!(done.len(), 1, "client {i}");
        assert_eq!(done[0]["stopped"], false, "client {i}");
        assert_eq!(done[0]["replications"], 3, "client {i}");
        let start = of_type(messages, "start")[0];
        let expected = i as f64 / 20.0;
        if i == 6 {
            // 0.3 is the baseline's value: nothing changed.
            assert_eq!(start["changed"], json!([]));
        } else {
            assert_eq!(
                start["changed"][0]["current"].as_f64().unwrap(),
                expected,
                "client {i}"
            );
        }
    }
    // Same request, same numbers, whatever else ran at the same time.
    let again = w.run(&json!({"changes": {"liability.clarity": 0.35}, "replications": 3}));
    let last = |m: &[Value]| of_type(m, "update").last().unwrap()["cards"].clone();
    assert_eq!(last(&again), last(&results[7]));
    assert_eq!(w.status(), json!({"running": 0, "waiting": 0}));
}

#[test]
fn a_new_request_cancels_the_old_and_a_client_that_leaves_stops_its_run() {
    let dir = small_dir();
    let w = Workshop::start(dir.path(), &["small.toml"]);
    let body = json!({"replications": 200, "client": "tab-1"});
    let mut first = w.open("POST", "/api/run", &[], body.to_string().as_bytes());
    let mut reader = BufReader::new(&mut first);
    assert_eq!(read_head(&mut reader).0, 200);
    let mut first_messages = messages(&mut reader);
    // Wait for the first update: the run is under way.
    assert!(first_messages.any(|m| m["type"] == "update"));
    let second = w.run(&json!({"replications": 2, "client": "tab-1"}));
    assert_eq!(of_type(&second, "done")[0]["stopped"], false);
    let rest: Vec<Value> = first_messages.collect();
    let done = rest
        .iter()
        .find(|m| m["type"] == "done")
        .expect("the first run ends");
    assert_eq!(done["stopped"], true);
    assert!(done["replications"].as_u64().unwrap() < 200);

    // A client that closes its connection: its run stops, the server goes on.
    let body = json!({"replications": 200, "client": "tab-2"});
    let mut gone = w.open("POST", "/api/run", &[], body.to_string().as_bytes());
    let mut reader = BufReader::new(&mut gone);
    read_head(&mut reader);
    assert!(messages(&mut reader).any(|m| m["type"] == "update"));
    drop(gone);
    let deadline = Instant::now() + Duration::from_secs(60);
    while w.status()["running"] != 0 {
        assert!(Instant::now() < deadline, "the abandoned run never stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(w.get("/api/params").status, 200);
}

#[test]
fn the_downloaded_scenario_reproduces_the_numbers_with_compare() {
    let dir = small_dir();
    let w = Workshop::start(dir.path(), &["small.toml"]);
    let messages = w.run(&json!({
        "changes": {"liability.clarity": 0.9, "channels.count": 6},
        "replications": 4,
        "map": true,
        "charts": true,
    }));
    let start = of_type(&messages, "start")[0];
    let done = of_type(&messages, "done")[0];
    write(
        dir.path(),
        "workshop.toml",
        start["scenario"].as_str().unwrap(),
    );
    cogov(dir.path())
        .args(["check", "workshop.toml"])
        .assert()
        .success();
    cogov(dir.path())
        .args([
            "compare",
            "small.toml",
            "workshop.toml",
            "-n",
            "4",
            "-q",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let out = dir.path().join("out");
    assert_eq!(
        read(&out.join("comparison.csv")),
        done["comparison_csv"].as_str().unwrap()
    );
    assert_eq!(
        read(&out.join("runs.csv")),
        done["runs_csv"].as_str().unwrap()
    );
    // Charts came with every update; one map, of the district's size.
    let update = of_type(&messages, "update").pop().unwrap();
    assert_eq!(
        update["charts"].as_array().unwrap().len(),
        update["series"].as_array().unwrap().len()
    );
    let map = of_type(&messages, "map");
    assert_eq!(map.len(), 1);
    let (width, height) = (
        map[0]["width"].as_u64().unwrap(),
        map[0]["height"].as_u64().unwrap(),
    );
    assert_eq!((width, height), (3, 3));
    let days = map[0]["days"].as_array().unwrap().len() as u64;
    let layers = map[0]["metrics"].as_array().unwrap().len() as u64;
    assert_eq!(
        map[0]["values"].as_array().unwrap().len() as u64,
        days * width * height * layers
    );
}

#[test]
fn the_page_and_its_assets_are_served_from_the_binary_with_a_strict_policy() {
    let dir = tempfile::tempdir().unwrap();
    let w = Workshop::start(dir.path(), &[]);
    for path in ["/", "/app.js", "/style.css"] {
        let reply = w.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(!reply.body.is_empty(), "{path}");
    }
    let html = String::from_utf8(w.get("/").body).unwrap();
    // No asset from elsewhere: every src and href is the server's own.
    for attr in ["src=\"", "href=\""] {
        for rest in html.split(attr).skip(1) {
            let target = rest.split('"').next().unwrap();
            assert!(
                target.starts_with('/') || target.starts_with('#') || target.starts_with("data:"),
                "{attr}{target}"
            );
        }
    }
    let mut raw = TcpStream::connect(w.addr).unwrap();
    write!(
        raw,
        "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        w.addr
    )
    .unwrap();
    let mut answer = String::new();
    raw.read_to_string(&mut answer).unwrap();
    assert!(
        answer.contains("Content-Security-Policy: default-src 'none'"),
        "{answer:.400}"
    );
}

#[test]
fn a_scenario_of_another_model_or_too_big_a_district_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cv.toml", "model = \"civil_violence\"\n");
    let out = Command::new(env!("CARGO_BIN_EXE_cogov"))
        .current_dir(dir.path())
        .args(["workshop", "cv.toml", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("co_governance"));
    let out = Command::new(env!("CARGO_BIN_EXE_cogov"))
        .current_dir(dir.path())
        .args(["workshop", "--port", "0", "--max-residents", "100"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-residents"));
}

#[test]
fn a_reform_lever_lists_exactly_what_its_file_changes() {
    let (levers, _) = Model::CoGovernance.levers();
    let base = Scenario::builtin().params;
    for lever in levers.iter().filter(|l| l.kind == LeverKind::Reform) {
        let file = lever.scenario.expect("a reform names its file");
        let reform = Scenario::builtin_file(file).unwrap().unwrap().params;
        let mut changed: Vec<&str> = reform
            .values()
            .into_iter()
            .zip(base.values())
            .filter(|((_, r), (_, b))| r != b)
            .map(|((path, _), _)| path)
            .collect();
        let mut listed = lever.params.to_vec();
        changed.sort_unstable();
        listed.sort_unstable();
        assert_eq!(changed, listed, "{file}");
    }
}

#[test]
fn every_lever_s_parameters_are_in_its_row_of_docs_levers() {
    let doc = read(&repo_path("docs/levers.md"));
    let (levers, _) = Model::CoGovernance.levers();
    for lever in levers {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| **{}. {}", lever.id, lever.title)))
            .unwrap_or_else(|| panic!("no row for {} {}", lever.id, lever.title));
        for path in lever.params {
            assert!(row.contains(&format!("`{path}`")), "{}: {path}", lever.id);
        }
    }
}

#[test]
fn ctrl_c_stops_the_server_cleanly_even_during_a_run() {
    let dir = small_dir();
    let mut w = Workshop::start(dir.path(), &["small.toml"]);
    let body = json!({"replications": 200});
    let mut running = w.open("POST", "/api/run", &[], body.to_string().as_bytes());
    let mut reader = BufReader::new(&mut running);
    read_head(&mut reader);
    assert!(messages(&mut reader).any(|m| m["type"] == "update"));
    let pid = w.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let status = w.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut stderr = String::new();
    w.child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("stopped"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
