//! Reading an input file into text: a size limit, a refusal of directories and of
//! anything else that is not a regular file (a named pipe would block the read
//! forever), UTF-8 with the place of the first bad byte, and no byte-order mark.
//!
//! Both file formats read their files here and report a failure with
//! [`ReadError::diagnostic`]; what the text says is not this file's business.

use std::io::Read as _;
use std::path::Path;

use super::diagnostic::{Diagnostic, ErrorKind, position};

/// Largest input file read, in bytes; scenario and experiment files are a few
/// kilobytes.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Why a file could not be turned into text.
#[derive(Debug)]
pub(crate) enum ReadError {
    Io(std::io::Error),
    Directory,
    /// A named pipe, socket or device: what it is, in words.
    NotRegular(&'static str),
    TooLarge,
    /// The file is not UTF-8: `prefix` is the valid text before the bad `byte`.
    NotUtf8 {
        prefix: String,
        byte: u8,
    },
}

/// What kind of file a read failure is about, for its message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileKind {
    /// The kind in one word: "scenario", "experiment".
    pub noun: &'static str,
    /// A path of such a file, shown when a directory was given instead.
    pub example: &'static str,
}

impl ReadError {
    /// The reason in words, after "cannot read `file`: ".
    pub(crate) fn reason(&self) -> String {
        match self {
            ReadError::Io(e) => e.to_string(),
            ReadError::Directory => "it is a directory, not a file".to_string(),
            ReadError::NotRegular(what) => format!("it is {what}, not a regular file"),
            ReadError::TooLarge => {
                format!("it is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024))
            }
            ReadError::NotUtf8 { byte, .. } => {
                format!("it is not valid UTF-8 (byte 0x{byte:02X})")
            }
        }
    }

    /// The problem reported against the file `shown` itself, a file of `kind`. Bad
    /// UTF-8 is located at the first bad byte.
    pub(crate) fn diagnostic(&self, shown: &str, kind: FileKind) -> Diagnostic {
        let noun = kind.noun;
        match self {
            ReadError::NotUtf8 { prefix, byte } => {
                let mut d = Diagnostic::in_file(
                    ErrorKind::Read,
                    shown,
                    None,
                    format!(
                        "not valid UTF-8: byte 0x{byte:02X} cannot start or continue a character"
                    ),
                )
                .help(format!("{noun} files must be saved as UTF-8"));
                d.position = Some(position(prefix, prefix.len()));
                d
            }
            ReadError::Directory => Diagnostic::in_file(
                ErrorKind::Read,
                shown,
                None,
                format!("cannot read {noun} file: it is a directory, not a file"),
            )
            .help(format!(
                "give the path of a `.toml` file, such as `{}`",
                kind.example
            )),
            other => Diagnostic::in_file(
                ErrorKind::Read,
                shown,
                None,
                format!("cannot read {noun} file: {}", other.reason()),
            ),
        }
    }
}

/// What a file that is neither a regular file nor a directory is, in words.
fn special_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    let _ = kind;
    "a special file"
}

/// Reads a file as UTF-8 text without a byte-order mark.
///
/// # Errors
/// The file is missing or unreadable ([`ReadError::Io`]), a directory, a named pipe
/// or another special file (refused before it is opened, so nothing blocks), larger
/// than [`MAX_FILE_BYTES`] or not UTF-8.
pub(crate) fn read_text(path: &Path) -> Result<String, ReadError> {
    let kind = std::fs::metadata(path).map_err(ReadError::Io)?.file_type();
    if kind.is_dir() {
        return Err(ReadError::Directory);
    }
    if !kind.is_file() {
        return Err(ReadError::NotRegular(special_kind(kind)));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    text_of(bytes)
}

/// `bytes` as UTF-8 text without a byte-order mark.
fn text_of(bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(strip_bom(&text).to_string()),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let byte = bytes.get(valid).copied().unwrap_or(0);
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            Err(ReadError::NotUtf8 {
                prefix: strip_bom(&prefix).to_string(),
                byte,
            })
        }
    }
}

/// `text` without a leading byte-order mark.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIND: FileKind = FileKind {
        noun: "thing",
        example: "things/a.toml",
    };

    #[test]
    fn text_loses_its_byte_order_mark() {
        assert_eq!(strip_bom("\u{feff}a = 1"), "a = 1");
        assert_eq!(strip_bom("a = 1\u{feff}"), "a = 1\u{feff}");
        assert_eq!(text_of(b"\xEF\xBB\xBFx".to_vec()).unwrap(), "x");
    }

    #[test]
    fn bad_utf8_is_located_at_its_first_bad_byte() {
        let err = text_of(b"a = 1\nb = \"\xFF\"".to_vec()).unwrap_err();
        let d = err.diagnostic("f.toml", KIND);
        assert_eq!(
            d.to_string(),
            "error: f.toml:2:6: not valid UTF-8: byte 0xFF cannot start or continue a character\nhelp: thing files must be saved as UTF-8"
        );
        assert_eq!(err.reason(), "it is not valid UTF-8 (byte 0xFF)");
    }

    #[test]
    fn directories_and_missing_files_are_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_text(dir.path()).unwrap_err();
        assert!(matches!(err, ReadError::Directory));
        assert_eq!(
            err.diagnostic("d", KIND).to_string(),
            "error: d: cannot read thing file: it is a directory, not a file\nhelp: give the path of a `.toml` file, such as `things/a.toml`"
        );
        let err = read_text(&dir.path().join("nope.toml")).unwrap_err();
        assert!(matches!(err, ReadError::Io(_)));
        assert!(
            err.diagnostic("n", KIND)
                .to_string()
                .starts_with("error: n: cannot read thing file: ")
        );
    }

    #[test]
    fn a_file_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "\u{feff}名 = 1\n").unwrap();
        assert_eq!(read_text(&path).unwrap(), "名 = 1\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("pipe.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo on this system
        }
        let err = read_text(&fifo).unwrap_err();
        assert_eq!(
            err.reason(),
            "it is a named pipe (FIFO), not a regular file"
        );
        let err = read_text(Path::new("/dev/null")).unwrap_err();
        assert_eq!(err.reason(), "it is a device, not a regular file");
    }
}
