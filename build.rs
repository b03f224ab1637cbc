//! Records what the binary was built from, for `manifest.json`'s `build` and for the
//! identity that `--resume` and `cogov merge` compare (`cogov::build`):
//!
//! - `COGOV_SOURCE_HASH`: FNV-1a (64 bits) of the path and bytes of every file the
//!   program is built from (`Cargo.toml`, `Cargo.lock`, `build.rs`, everything under
//!   `src/` and `scenarios/`), so it changes whenever the code changes, with or
//!   without git;
//! - `COGOV_GIT_COMMIT` and `COGOV_GIT_DIRTY`: the commit checked out and whether
//!   tracked files differ from it, when built from a git checkout with git on PATH
//!   (empty otherwise);
//! - `COGOV_RUSTC` and `COGOV_TARGET`: the compiler's version line and the target.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir`, recursively, in a stable order.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// FNV-1a, 64 bits: stable across compilers and platforms, which the identity needs.
fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

/// The first line a command prints, if it ran and succeeded.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut files: Vec<PathBuf> = ["Cargo.toml", "Cargo.lock", "build.rs"]
        .iter()
        .map(|f| root.join(f))
        .collect();
    for dir in ["src", "scenarios"] {
        files_under(&root.join(dir), &mut files);
        println!("cargo:rerun-if-changed={dir}");
    }
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let relative = path.strip_prefix(&root).unwrap_or(path);
        fnv1a(&mut hash, relative.to_string_lossy().as_bytes());
        fnv1a(&mut hash, &[0]);
        fnv1a(&mut hash, &std::fs::read(path).unwrap_or_default());
        fnv1a(&mut hash, &[0]);
    }
    println!("cargo:rustc-env=COGOV_SOURCE_HASH={hash:016x}");

    let git = root.join(".git");
    let (commit, dirty) = if git.exists() {
        // A commit or a checkout moves HEAD or the index.
        for f in ["HEAD", "index"] {
            if git.join(f).exists() {
                println!("cargo:rerun-if-changed=.git/{f}");
            }
        }
        let root = root.to_string_lossy().to_string();
        let commit = output("git", &["-C", &root, "rev-parse", "HEAD"]).unwrap_or_default();
        let dirty = output(
            "git",
            &["-C", &root, "status", "--porcelain", "--untracked-files=no"],
        )
        .map(|s| if s.is_empty() { "false" } else { "true" });
        (commit, dirty.unwrap_or(""))
    } else {
        (String::new(), "")
    };
    println!("cargo:rustc-env=COGOV_GIT_COMMIT={commit}");
    println!("cargo:rustc-env=COGOV_GIT_DIRTY={dirty}");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    println!(
        "cargo:rustc-env=COGOV_RUSTC={}",
        output(&rustc, &["-V"]).unwrap_or_default()
    );
    println!(
        "cargo:rustc-env=COGOV_TARGET={}",
        std::env::var("TARGET").unwrap_or_default()
    );
}
