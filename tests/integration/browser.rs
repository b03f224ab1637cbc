//! The reports in a real browser: headless Chromium renders `report.html` of a
//! comparison, a run and a sweep from a `file://` address to PNG, with every
//! network request made to fail. The page must log nothing to the console (a
//! blocked request or a script error would), and the image must show the charts:
//! not blank, and with the palette's blue and vermillion in it.
//!
//! Chromium is Debian's package `chromium`; `.ci/run` installs it when missing and
//! sets `COGOV_REQUIRE_BROWSER=1`, which turns a missing browser into a failure.
//! Elsewhere the test says it skipped.

use crate::util::{SMALL_SCENARIO, cogov, write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The browser to use: `$CHROMIUM`, else the first of Debian's and others' names on
/// the path.
pub(super) fn browser() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let out = Command::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .ok()?;
            let path = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (!path.is_empty()).then(|| PathBuf::from(path))
        })
}

pub(super) fn require_browser() -> Option<PathBuf> {
    let found = browser();
    if found.is_none() {
        assert!(
            std::env::var_os("COGOV_REQUIRE_BROWSER").is_none(),
            "COGOV_REQUIRE_BROWSER is set but no chromium was found"
        );
        eprintln!("skipped: no chromium on the path (set CHROMIUM or install Debian's chromium)");
    }
    found
}

/// Renders `page` to `png` (width by height CSS pixels) and returns the browser's
/// console messages.
/// The flags every headless run here shares: no sandbox (tests run as root in CI),
/// no GPU, no scrollbars in screenshots, no first-run pages or extensions.
pub(super) const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    "--no-first-run",
    "--disable-extensions",
];

pub fn render(browser: &Path, page: &Path, png: &Path, width: u32, height: u32) -> Vec<String> {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args(HEADLESS)
        .args([
            "--enable-logging=stderr",
            "--v=0",
            // Any request the page tried would fail: no proxy, no name resolves.
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .output()
        .expect("the browser starts");
    assert!(
        png.is_file(),
        "no screenshot of {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect()
}

/// The RGB pixels of a PNG.
fn pixels(png: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(
        info.bit_depth == png::BitDepth::Eight && channels >= 3,
        "{info:?}"
    );
    let px = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (info.width, info.height, px)
}

/// Whether some pixels are within 24 of each channel of `hex`.
fn has_colour(px: &[[u8; 3]], hex: &str) -> usize {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
    let want = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
    px.iter()
        .filter(|p| p.iter().zip(want).all(|(&a, b)| a.abs_diff(b) <= 24))
        .count()
}

fn check_rendering(browser: &Path, dir: &Path, what: &str) {
    let png = dir.join("screen.png");
    let console = render(browser, &dir.join("report.html"), &png, 1200, 2400);
    assert!(
        console.is_empty(),
        "{what}: the console logged:\n{}",
        console.join("\n")
    );
    let (w, h, px) = pixels(&png);
    assert!(w >= 1000 && h >= 2000, "{what}: {w} x {h}");
    let inked = px.iter().filter(|p| p.iter().any(|&c| c < 200)).count();
    assert!(
        inked * 100 > px.len(),
        "{what}: only {inked} of {} pixels are not near white: the page looks blank",
        px.len()
    );
    assert!(
        has_colour(&px, "#0072B2") > 200,
        "{what}: no chart blue on the screen"
    );
    if let Some(keep) = std::env::var_os("COGOV_KEEP_SCREENS") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&png, keep.join(format!("{what}.png"))).unwrap();
    }
}

#[test]
fn chromium_renders_the_reports_of_a_comparison_a_run_and_a_sweep() {
    let Some(browser) = require_browser() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", SMALL_SCENARIO);
    write(
        tmp.path(),
        "reform.toml",
        "name = \"more_officers\"\nextends = \"small.toml\"\n[police]\nofficers_per_10k = 20.0\n",
    );
    write(
        tmp.path(),
        "sweep.toml",
        "name = \"clarity\"\nscenario = \"small.toml\"\ndesign = \"grid\"\nreplications = 2\n[parameters]\n\"liability.clarity\" = [0.2, 0.5, 0.8]\n",
    );
    for (what, args) in [
        (
            "compare",
            vec!["compare", "small.toml", "reform.toml", "-n", "4"],
        ),
        ("run", vec!["run", "small.toml", "-n", "3"]),
        ("sweep", vec!["sweep", "sweep.toml"]),
    ] {
        let mut all = args.clone();
        all.extend(["--quiet", "--out", what]);
        cogov(tmp.path()).args(&all).assert().success();
        check_rendering(&browser, &tmp.path().join(what), what);
    }
}

/// Makes the README's picture, `docs/images/report-compare.png`: the top of the
/// default job's comparison report (the headline sentences and the first forest
/// plot), rendered by the same headless browser. Run it by hand when the report
/// changes: `cargo test --release --test integration -- --ignored readme_picture`.
#[test]
#[ignore = "writes docs/images/report-compare.png; run by hand when the report changes"]
fn readme_picture() {
    let browser = browser().expect("chromium on the path");
    let tmp = tempfile::tempdir().unwrap();
    // The default job, as `cargo run --release` runs it.
    let out = cogov(tmp.path()).assert().success();
    let printed = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let dir = printed
        .lines()
        .find_map(|l| l.strip_prefix("results: "))
        .and_then(|l| l.split(' ').next())
        .expect("the results line");
    let png = crate::util::repo_path("docs/images/report-compare.png");
    std::fs::create_dir_all(png.parent().unwrap()).unwrap();
    let console = render(
        &browser,
        &tmp.path().join(dir).join("report.html"),
        &png,
        1100,
        1000,
    );
    assert!(console.is_empty(), "{console:?}");
}
