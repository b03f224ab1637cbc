//! The workshop page in a real browser: `cogov workshop` on an ephemeral port, and
//! headless Chromium driven over the DevTools protocol on a pipe
//! (`--remote-debugging-pipe`: NUL-terminated JSON on the browser's descriptors 3 and
//! 4, so no WebSocket client is needed). The test moves a lever through its number
//! box, runs a small comparison, and reads the page back: every card has numbers, a
//! chart has lines, the map has a square per grid, "What changed" names the lever,
//! and the browser logged nothing and asked nothing of anyone but the server. A
//! link that opens with the levers set (`?set.PATH=VALUE&replications=N&run=1`) does
//! the same without a click.
//!
//! `chromium --dump-dom --virtual-time-budget` cannot be used: virtual time runs on
//! while a streamed response is still arriving, so the DOM is dumped mid-run.
//!
//! Chromium is found by `browser.rs`; a missing browser skips the test unless
//! `COGOV_REQUIRE_BROWSER` is set. The server is `workshop.rs`'s.

use super::browser::{HEADLESS, browser, require_browser};
use super::workshop::Workshop as Server;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The longest wait for one protocol answer.
const ANSWER: Duration = Duration::from_secs(60);
/// The longest wait for a run to finish (a debug build is slow).
const RUN: Duration = Duration::from_secs(600);

/// Headless Chromium with one page, driven over the DevTools protocol; killed when
/// dropped. It remembers what the page logged and every address it requested.
struct Chromium {
    child: Child,
    to: ChildStdin,
    from: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Console messages, uncaught exceptions, and errors and warnings of the browser's
    /// log (a blocked request, a failed load).
    logged: Vec<String>,
    requested: Vec<String>,
    /// Pages loaded so far.
    loads: usize,
    _profile: tempfile::TempDir,
}

impl Chromium {
    /// Starts the browser with a `width` x `height` window and opens a blank page.
    fn launch(browser: &Path, width: u32, height: u32) -> Chromium {
        let profile = tempfile::tempdir().unwrap();
        // The protocol runs on the browser's descriptors 3 (in) and 4 (out); the shell
        // moves our pipes there, so no unsafe code is needed to hand them over.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null"#)
            .arg(browser)
            .args(HEADLESS)
            .args([
                "--remote-debugging-pipe",
                // A request to anywhere but this machine fails: no proxy answers.
                "--proxy-server=127.0.0.1:9",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--window-size={width},{height}"))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the browser starts");
        let to = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (send, from) = channel();
        // A thread reads the messages, so a browser that hangs fails the test on a
        // timeout instead of blocking it.
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            while out.read_until(0, &mut buf).is_ok_and(|n| n > 0) {
                buf.pop();
                if let Ok(message) = serde_json::from_slice::<Value>(&buf)
                    && send.send(message).is_err()
                {
                    break;
                }
                buf.clear();
            }
        });
        let mut chromium = Chromium {
            child,
            to,
            from,
            next_id: 0,
            session: String::new(),
            logged: Vec::new(),
            requested: Vec::new(),
            loads: 0,
            _profile: profile,
        };
        let target = chromium.call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = chromium.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        chromium.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Runtime", "Log", "Page", "Network"] {
            chromium.call(&format!("{domain}.enable"), json!({}));
        }
        chromium.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        );
        chromium
    }

    /// Sends one command (to the page once attached) and waits for its answer,
    /// noting the events that arrive meanwhile.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        let mut bytes = message.to_string().into_bytes();
        bytes.push(0);
        self.to.write_all(&bytes).unwrap();
        self.to.flush().unwrap();
        let deadline = Instant::now() + ANSWER;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.from.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!("no answer to {method} in {ANSWER:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("the browser quit during {method}"),
            };
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{method}: {message}");
                return message["result"].clone();
            }
            self.note(&message);
        }
    }

    /// Keeps what a test asserts on from an event.
    fn note(&mut self, event: &Value) {
        let params = &event["params"];
        match event["method"].as_str().unwrap_or_default() {
            "Runtime.consoleAPICalled" => {
                let args: Vec<String> = params["args"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| a.get("value").unwrap_or(&a["description"]).to_string())
                    .collect();
                self.logged.push(format!(
                    "console.{}: {}",
                    params["type"].as_str().unwrap_or_default(),
                    args.join(" ")
                ));
            }
            "Runtime.exceptionThrown" => {
                let details = &params["exceptionDetails"];
                let what = details["exception"]["description"]
                    .as_str()
                    .or(details["text"].as_str())
                    .unwrap_or_default();
                self.logged.push(format!("exception: {what}"));
            }
            "Log.entryAdded" => {
                let entry = &params["entry"];
                if matches!(entry["level"].as_str(), Some("error" | "warning")) {
                    self.logged.push(format!(
                        "{}: {} {}",
                        entry["level"], entry["text"], entry["url"]
                    ));
                }
            }
            "Page.loadEventFired" => self.loads += 1,
            "Network.requestWillBeSent" => {
                if let Some(url) = params["request"]["url"].as_str() {
                    self.requested.push(url.to_string());
                }
            }
            _ => {}
        }
    }

    /// The value of a JavaScript expression in the page (a promise's, once settled).
    fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression}: {}",
            result["exceptionDetails"]
        );
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true, or panics after `limit` with what it was.
    fn wait_for(&mut self, expression: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while self.eval(expression) != json!(true) {
            let state = self.eval("document.body && document.body.dataset.state");
            let status = self.eval("document.getElementById('status')?.textContent");
            assert!(
                Instant::now() < deadline,
                "waited {limit:?} for {expression}: the page is {state}, its status {status}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Loads `url` and waits until the page has read the workshop's setup.
    fn open(&mut self, url: &str) {
        let loads = self.loads;
        self.call("Page.navigate", json!({ "url": url }));
        // Until the new page's load event, expressions may still see the old page.
        let deadline = Instant::now() + ANSWER;
        while self.loads == loads {
            assert!(
                Instant::now() < deadline,
                "{url} did not load in {ANSWER:?}"
            );
            // Any answer brings the events that came before it; this one does not
            // depend on which document is current.
            self.call("Page.getFrameTree", json!({}));
            std::thread::sleep(Duration::from_millis(50));
        }
        self.wait_for(
            "['ready', 'running', 'done', 'error'].includes(document.body.dataset.state)",
            ANSWER,
        );
    }

    /// Waits for the run in flight to end, and says it ended done.
    fn wait_for_run(&mut self) {
        self.wait_for(
            "['done', 'error', 'stopped'].includes(document.body.dataset.state)",
            RUN,
        );
        let status = self.eval("document.getElementById('status').textContent");
        assert_eq!(
            self.eval("document.body.dataset.state"),
            json!("done"),
            "{status}"
        );
    }

    fn screenshot(&mut self, png: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let bytes = base64_decode(shot["data"].as_str().unwrap());
        std::fs::create_dir_all(png.parent().unwrap()).unwrap();
        std::fs::write(png, bytes).unwrap();
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64 (the protocol's encoding of a screenshot).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|&c| c != b'=').map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// What the page shows after a run, read in one go.
const READ_PAGE: &str = r#"(async () => {
  const setup = await (await fetch('api/setup')).json();
  const text = (el) => el ? el.textContent.trim() : null;
  return {
    status: text(document.getElementById('status')),
    errors: document.body.dataset.errors,
    setupCards: setup.cards.length,
    grids: setup.width * setup.height,
    cards: [...document.querySelectorAll('#cards .card')].map((card) => ({
      title: text(card.querySelector('h3')),
      baseline: text(card.querySelector('.card-baseline')),
      current: text(card.querySelector('.card-current')),
      verdict: text(card.querySelector('.card-verdict')),
    })),
    charts: document.querySelectorAll('#charts svg').length,
    chartsWithLines: [...document.querySelectorAll('#charts svg')]
      .filter((svg) => svg.querySelector('path')).length,
    cells: document.querySelectorAll('#map svg rect.cell').length,
    whatChanged: text(document.getElementById('what-changed')),
    downloads: ['download-scenario', 'download-runs', 'download-comparison']
      .map((id) => !document.getElementById(id).disabled),
  };
})()"#;

/// A card's number as the page writes it ("23,500", "−0.663"), if it is one.
fn number(shown: &Value) -> Option<f64> {
    shown
        .as_str()?
        .replace(',', "")
        .replace('\u{2212}', "-")
        .parse()
        .ok()
}

/// Asserts what every finished run must show: numbers on every card, a chart with
/// lines, the whole map, the lever named in "What changed", the files offered.
fn check_results(page: &Value, label: &str) {
    let cards = page["cards"].as_array().unwrap();
    assert_eq!(
        cards.len() as u64,
        page["setupCards"].as_u64().unwrap(),
        "{page:#}"
    );
    for card in cards {
        assert!(
            number(&card["baseline"]).is_some() && number(&card["current"]).is_some(),
            "a card without numbers: {card}"
        );
        assert!(
            ["better", "worse", "changed", "unclear"].contains(&card["verdict"].as_str().unwrap()),
            "{card}"
        );
    }
    assert!(page["chartsWithLines"].as_u64().unwrap() >= 1, "{page:#}");
    assert_eq!(page["cells"], page["grids"], "{page:#}");
    let what = page["whatChanged"].as_str().unwrap();
    assert!(what.contains(label) && what.contains("0.3 → 0.9"), "{what}");
    assert_eq!(page["downloads"], json!([true, true, true]), "{page:#}");
    assert_eq!(page["errors"], json!(""), "the page recorded errors");
}

fn check_quiet(chromium: &Chromium, server: &Server) {
    assert!(
        chromium.logged.is_empty(),
        "the browser logged:\n{}",
        chromium.logged.join("\n")
    );
    let elsewhere: Vec<&String> = chromium
        .requested
        .iter()
        .filter(|url| !url.starts_with(&server.url) && !url.starts_with("data:"))
        .collect();
    assert!(
        elsewhere.is_empty(),
        "requests beyond the server: {elsewhere:?}"
    );
}

#[test]
fn chromium_runs_the_workshop_page_from_a_lever_and_from_a_link() {
    let Some(browser) = require_browser() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    crate::util::write(dir.path(), "small.toml", crate::util::SMALL_SCENARIO);
    let server = Server::start(dir.path(), &["small.toml"]);
    let mut chromium = Chromium::launch(&browser, 1400, 1000);

    // By hand: the lever's number box, the replications, the Run button.
    chromium.open(&server.url);
    let label = chromium.eval(
        r#"document.querySelector('.param[data-path="liability.clarity"] label').textContent"#,
    );
    let label = label
        .as_str()
        .expect("a row for liability.clarity")
        .to_string();
    chromium.eval(
        r#"(() => {
  const type = (input, value) => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };
  type(document.querySelector('.param[data-path="liability.clarity"] input.exact'), '0.9');
  type(document.getElementById('replications'), '4');
  document.getElementById('run').click();
})()"#,
    );
    chromium.wait_for_run();
    // Every row of the parameter moved with the one typed in.
    let rows = chromium.eval(
        r#"[...document.querySelectorAll('.param[data-path="liability.clarity"]')]
  .map((row) => [row.querySelector('input.exact').value, row.classList.contains('changed')])"#,
    );
    for row in rows.as_array().unwrap() {
        assert_eq!(row, &json!(["0.9", true]), "{rows}");
    }
    let page = chromium.eval(READ_PAGE);
    check_results(&page, &label);
    assert!(
        page["status"].as_str().unwrap().contains("4 replications"),
        "{page:#}"
    );

    // By link: the address the page keeps in step with its levers, with run=1.
    let link = chromium.eval("document.getElementById('share-link').href");
    let link = link.as_str().unwrap().to_string();
    assert!(
        link.contains("set.liability.clarity=0.9") && link.contains("replications=4"),
        "{link}"
    );
    chromium.open(&format!(
        "{}?set.liability.clarity=0.9&replications=4&run=1",
        server.url
    ));
    chromium.wait_for_run();
    let page = chromium.eval(READ_PAGE);
    check_results(&page, &label);
    check_quiet(&chromium, &server);
}

/// Makes the picture in docs/workshop.md, `docs/images/workshop.png`: the page after
/// a run of all five reforms against the built-in baseline, opened by link, in a
/// 1400 x 1000 window. Run it by hand when the page changes:
/// `cargo test --release --test integration -- --ignored workshop_browser::readme_picture`.
#[test]
#[ignore = "writes docs/images/workshop.png; run by hand when the page changes"]
fn readme_picture() {
    let browser = browser().expect("chromium on the path");
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let mut chromium = Chromium::launch(&browser, 1400, 1000);
    chromium.open(&format!("{}?preset=reform_combined&run=1", server.url));
    chromium.wait_for_run();
    // Let the last frame paint.
    std::thread::sleep(Duration::from_millis(500));
    chromium.screenshot(&crate::util::repo_path("docs/images/workshop.png"));
    check_quiet(&chromium, &server);
}

#[test]
fn base64_decodes_every_padding() {
    for (text, bytes) in [
        ("", &b""[..]),
        ("aA==", b"h"),
        ("aGk=", b"hi"),
        ("aGVsbG8=", b"hello"),
        ("+/8A", &[0xfb, 0xff, 0x00]),
    ] {
        assert_eq!(base64_decode(text), bytes, "{text}");
    }
}
