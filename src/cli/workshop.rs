//! `cogov workshop`: serve the workshop page on this machine until Ctrl-C.

use super::InputError;
use anyhow::Context as _;
use clap::Args;
use cogov::scenario::Scenario;
use cogov::workshop::{Limits, Options, Server, Workshop};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The port tried when `--port` is not given; a free one is taken if it is busy.
const DEFAULT_PORT: u16 = 8040;

#[derive(Debug, Args)]
pub struct WorkshopArgs {
    /// The baseline scenario [default: the built-in Tongxiang baseline]
    pub base: Option<PathBuf>,
    /// More scenarios, offered as presets next to the reforms and teaching scenarios
    pub scenarios: Vec<PathBuf>,
    /// Port to listen on; 0 takes any free port [default: 8040, or a free one when
    /// 8040 is busy]
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// Open the page in this machine's browser
    #[arg(long)]
    pub open: bool,
    /// Serve on this address instead of 127.0.0.1 (0.0.0.0: every network this
    /// machine is on, so a classroom can connect); anyone who can reach it can run
    /// simulations, within the limits below
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<IpAddr>,
    /// Worker threads shared by every run [default: one per logical CPU]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub threads: Option<u64>,
    /// Most replications one run of the page may ask for
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_replications,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_replications: u64,
    /// Most residents a district may have in workshop mode
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_residents)]
    pub max_residents: u64,
    /// Most simulated days (warm-up and measured) in workshop mode
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_days)]
    pub max_days: u64,
    /// Runs computed at once (each uses every worker); more wait their turn
    #[arg(long, value_name = "N", default_value_t = Options::default().max_runs as u64,
          value_parser = clap::value_parser!(u64).range(1..=64))]
    pub max_runs: u64,
}

pub fn run(args: WorkshopArgs) -> anyhow::Result<()> {
    let base = match &args.base {
        Some(path) => Scenario::load(path)?,
        None => Scenario::builtin(),
    };
    let scenarios = args
        .scenarios
        .iter()
        .map(|p| Scenario::load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let limits = Limits {
        max_replications: args.max_replications,
        max_residents: args.max_residents,
        max_days: args.max_days,
    };
    let workshop =
        Workshop::new(base, &scenarios, limits).map_err(|e| InputError(e.to_string()))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0) as usize)
        .build()
        .context("cannot start the worker threads")?;
    let ip = args.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let options = Options {
        max_runs: args.max_runs as usize,
        ..Options::default()
    };
    let server = bind(ip, args.port, workshop, pool, options)?;
    let addr = server
        .local_addr()
        .context("the server listens on no IP address")?;
    let url = format!("http://{}/", shown(addr));
    if !ip.is_loopback() {
        eprintln!(
            "warning: serving on {addr}: anyone who can reach this machine there can open \
             the page and run simulations (bounded: {} replications, {} residents a run)",
            args.max_replications, args.max_residents
        );
    }
    println!("cogov workshop: open {url} in a browser (Ctrl-C stops)");
    if args.open {
        open_browser(&url);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    server.serve(&stop);
    eprintln!("stopped");
    Ok(())
}

/// Binds `ip:port`; without `--port`, the default port or, when it is busy, any
/// free one.
fn bind(
    ip: IpAddr,
    port: Option<u16>,
    workshop: Workshop,
    pool: rayon::ThreadPool,
    options: Options,
) -> anyhow::Result<Server> {
    let chosen = port.unwrap_or(DEFAULT_PORT);
    let addr = SocketAddr::new(ip, chosen);
    if port.is_none() && std::net::TcpListener::bind(addr).is_err() {
        let any = SocketAddr::new(ip, 0);
        return Server::bind(any, workshop, pool, options)
            .with_context(|| format!("cannot listen on {any}"));
    }
    Server::bind(addr, workshop, pool, options).map_err(|e| {
        anyhow::Error::new(InputError(format!(
            "cannot listen on {addr}: {e} (choose another with --port, or --port 0 for any free one)"
        )))
    })
}

/// An address as a URL writes it (`[::1]:80` for IPv6; `0.0.0.0` shown as this
/// machine's loopback name, which works from here).
fn shown(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        return format!("127.0.0.1:{}", addr.port());
    }
    addr.to_string()
}

/// Opens `url` in the system's browser, or says how to.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let opened = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("note: cannot open a browser here ({program} failed); open {url} yourself");
    }
}
