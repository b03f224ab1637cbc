//! The `cogov` binary: wires the command line ([`cli`]) to the library and turns the
//! outcome into an exit code. Nothing here returns `Result` from `main`, so no failure
//! is ever shown as a panic or a backtrace.

mod cli;
mod progress;

fn main() {
    // A panic is a bug in cogov: say so in one line, without a backtrace. A panic
    // inside one run of an experiment is caught and recorded in failures.csv with its
    // message, and the other runs go on: nothing to print then.
    std::panic::set_hook(Box::new(|info| {
        if cogov::runner::inside_run() {
            return;
        }
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_string());
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: internal error{place}: {message} (this is a bug in cogov)");
    }));
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let code = std::panic::catch_unwind(|| cli::main(args)).unwrap_or(1);
    std::process::exit(code);
}
