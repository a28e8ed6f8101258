//! A read-only parser for git's index file (versions 2, 3 and 4) and its
//! cache-tree (`TREE`) extension.
//!
//! libgit2 reads the index too, but pays for what a hook never needs: it
//! SHA-1-checks the whole file (git itself does not, outside `fsck`), validates
//! and hashes every path into a map, and then diffs against HEAD by reading
//! every tree of HEAD. With the cache-tree, unchanged directories are skipped
//! without reading their trees, as `git diff --cached` skips them. On a 20,000
//! file repository this is the difference between ~190M and ~20M instructions.
//!
//! Index layouts this parser does not handle (a split index, a sparse index,
//! an unknown version) return [`Unsupported`], and the caller falls back to libgit2.

use super::worktree::Stat;
use git2::Oid;
use std::ops::Range;
use std::path::Path;

/// An index file keyhook's own parser does not handle; libgit2 reads it instead.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

/// One index entry. Its path, object id and stat data are read from the
/// index's bytes when asked for ([`IndexFile::path`], [`IndexFile::oid`],
/// [`IndexFile::stat`]): a hook needs them for a handful of entries.
#[derive(Debug, Clone)]
pub struct Entry {
    path: Range<u32>,
    /// Offset of the entry in the index file.
    at: u32,
    /// File mode as git records it (`0o100644`, `0o100755`, `0o120000`, `0o160000`).
    pub mode: u32,
    /// Merge stage: 0 for a normal entry, 1-3 for a conflict.
    pub stage: u8,
    /// Assume-unchanged, skip-worktree or intent-to-add: the work tree says
    /// nothing about this entry's content.
    pub worktree_unreliable: bool,
}

/// The cache-tree: for each directory, the id of its tree object when nothing
/// under it changed since that tree was written. Nodes are stored flat, in
/// the extension's pre-order, with names pointing into one byte buffer: a
/// repository has thousands of directories and a hook reads a handful.
#[derive(Debug, Default)]
pub struct CacheTree {
    names: Vec<u8>,
    nodes: Vec<Node>,
}

#[derive(Debug)]
struct Node {
    name: Range<usize>,
    oid: Option<[u8; 20]>,
    /// This node and all its descendants.
    len: usize,
}

/// One directory of a [`CacheTree`].
#[derive(Debug, Clone, Copy)]
pub struct Dir<'t> {
    tree: &'t CacheTree,
    at: usize,
}

impl CacheTree {
    /// The top-level directory.
    pub fn root(&self) -> Option<Dir<'_>> {
        (!self.nodes.is_empty()).then_some(Dir { tree: self, at: 0 })
    }
}

impl<'t> Dir<'t> {
    /// The directory's tree id, when the cache-tree knows it.
    pub fn oid(self) -> Option<Oid> {
        self.tree.nodes[self.at]
            .oid
            .map(|o| Oid::from_bytes(&o).expect("20 bytes"))
    }

    /// The subdirectory called `name`.
    pub fn child(self, name: &[u8]) -> Option<Dir<'t>> {
        let nodes = &self.tree.nodes;
        let end = self.at + nodes[self.at].len;
        let mut j = self.at + 1;
        while j < end {
            if &self.tree.names[nodes[j].name.clone()] == name {
                return Some(Dir {
                    tree: self.tree,
                    at: j,
                });
            }
            j += nodes[j].len;
        }
        None
    }
}

/// An index file's bytes: mapped, as git maps it, or read when it cannot be.
#[derive(Debug, Default)]
pub enum Bytes {
    /// The file mapped read-only.
    Mapped(memmap2::Mmap),
    /// The file read into memory (empty files, and where mapping fails).
    Read(Vec<u8>),
    /// No index file yet.
    #[default]
    Empty,
}

impl Bytes {
    /// Maps `file`, or reads it when it cannot be mapped.
    fn of(mut file: std::fs::File) -> std::io::Result<Bytes> {
        if file.metadata()?.len() > 0 {
            // SAFETY: the mapping is read-only and private to this process.
            // What could make it unsound is the file changing under it, and git
            // and libgit2 never rewrite an index in place: they write
            // `index.lock` and rename it over `index`, so this inode keeps its
            // bytes. `git diff --cached` maps the index the same way.
            #[allow(unsafe_code)]
            let mapped = unsafe { memmap2::Mmap::map(&file) };
            if let Ok(m) = mapped {
                return Ok(Bytes::Mapped(m));
            }
        }
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut v)?;
        Ok(Bytes::Read(v))
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Read(v) => v,
            Bytes::Empty => &[],
        }
    }
}

/// A parsed index.
#[derive(Debug, Default)]
pub struct IndexFile {
    data: Bytes,
    /// Version 4 paths, rebuilt from their prefix compression (earlier
    /// versions' paths are read in `data`).
    paths: Vec<u8>,
    v4: bool,
    /// Entries in index order (sorted by path, then stage).
    pub entries: Vec<Entry>,
    /// The cache-tree, when the index has one.
    pub tree: Option<CacheTree>,
    /// The index file's modification time (for racy-clean checks).
    pub mtime: Option<(i64, u32)>,
}

impl IndexFile {
    /// Reads and parses the index at `path`. A missing file is an empty index
    /// (a repository before its first `git add`).
    pub fn read(path: &Path) -> std::io::Result<Result<IndexFile, Unsupported>> {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Ok(IndexFile::default()))
            }
            Err(e) => return Err(e),
        };
        let data = Bytes::of(file)?;
        let mut index = match IndexFile::parse(data) {
            Ok(i) => i,
            Err(u) => return Ok(Err(u)),
        };
        index.mtime = mtime_of(path);
        Ok(Ok(index))
    }

    /// Parses the bytes of an index file.
    pub fn parse(data: Bytes) -> Result<IndexFile, Unsupported> {
        const HASH: usize = 20;
        if data.len() < 12 + HASH || &data[..4] != b"DIRC" {
            return Err(Unsupported("not an index file"));
        }
        if data.len() > u32::MAX as usize {
            return Err(Unsupported("index over 4 GiB"));
        }
        let version = be32(&data, 4);
        if !(2..=4).contains(&version) {
            return Err(Unsupported("index version"));
        }
        let count = be32(&data, 8) as usize;
        let end = data.len() - HASH;
        let v4 = version == 4;
        let mut entries = Vec::with_capacity(count.min(end / 62));
        let mut paths = Vec::new();
        let mut pos = 12;
        let mut prev: Range<usize> = 0..0;
        for _ in 0..count {
            let base = pos;
            let fixed = base + 62;
            if fixed > end {
                return Err(Unsupported("truncated entry"));
            }
            let flags = be16(&data, base + 60);
            let mut name_at = fixed;
            let mut flags_ext = 0;
            if flags & 0x4000 != 0 {
                if version < 3 || name_at + 2 > end {
                    return Err(Unsupported("extended flags"));
                }
                flags_ext = be16(&data, name_at);
                name_at += 2;
            }
            let path;
            if v4 {
                let (strip, used) = varint(&data[name_at..end]).ok_or(Unsupported("path"))?;
                name_at += used;
                let keep = prev
                    .len()
                    .checked_sub(strip)
                    .ok_or(Unsupported("path prefix"))?;
                let nul = memchr::memchr(0, &data[name_at..end]).ok_or(Unsupported("path"))?;
                let start = paths.len();
                paths.extend_from_within(prev.start..prev.start + keep);
                paths.extend_from_slice(&data[name_at..name_at + nul]);
                path = start..paths.len();
                prev = path.clone();
                pos = name_at + nul + 1;
            } else {
                // The flags hold the name's length when it is under 0xFFF.
                let short = usize::from(flags & 0xFFF);
                let nul = if short < 0xFFF && data.get(name_at + short) == Some(&0) {
                    short
                } else {
                    memchr::memchr(0, &data[name_at..end]).ok_or(Unsupported("path"))?
                };
                path = name_at..name_at + nul;
                // NUL-padded to a multiple of 8 bytes, with at least one NUL.
                pos = base + ((name_at - base + nul + 8) & !7);
            }
            let mode = be32(&data, base + 24);
            // A sparse index stores whole directories as entries.
            if mode & 0o170000 == 0o040000 {
                return Err(Unsupported("sparse index"));
            }
            entries.push(Entry {
                path: path.start as u32..path.end as u32,
                at: base as u32,
                mode,
                stage: ((flags >> 12) & 3) as u8,
                worktree_unreliable: flags & 0x8000 != 0 || flags_ext & 0x6000 != 0,
            });
        }
        let mut tree = None;
        // Extensions, until the trailing checksum.
        while pos + 8 <= end {
            let sig = &data[pos..pos + 4];
            let size = be32(&data, pos + 4) as usize;
            let body = pos + 8..pos + 8 + size;
            if body.end > end {
                return Err(Unsupported("truncated extension"));
            }
            match sig {
                b"TREE" => {
                    let mut t = CacheTree::default();
                    let mut at = &data[body.clone()];
                    // A malformed extension is dropped, not trusted: the diff
                    // then reads every tree.
                    if parse_tree(&mut at, &mut t).is_some() {
                        tree = Some(t);
                    }
                }
                b"link" => return Err(Unsupported("split index")),
                b"sdir" => return Err(Unsupported("sparse index")),
                // Unknown required extensions (lower-case first letter) change
                // what the entries mean: leave those indexes to libgit2.
                s if !s[0].is_ascii_uppercase() => {
                    return Err(Unsupported("unknown required extension"))
                }
                _ => {}
            }
            pos = body.end;
        }
        Ok(IndexFile {
            data,
            paths,
            v4,
            entries,
            tree,
            mtime: None,
        })
    }

    /// The staged blob (or gitlink commit) of `entry`.
    pub fn oid(&self, entry: &Entry) -> Oid {
        let at = entry.at as usize + 40;
        Oid::from_bytes(&self.data[at..at + 20]).expect("20 bytes")
    }

    /// The stat data recorded when `entry` was staged.
    pub fn stat(&self, entry: &Entry) -> Stat {
        let (d, b) = (&self.data, entry.at as usize);
        Stat {
            ctime: (i64::from(be32(d, b)), be32(d, b + 4)),
            mtime: (i64::from(be32(d, b + 8)), be32(d, b + 12)),
            ino: be32(d, b + 20),
            uid: be32(d, b + 28),
            gid: be32(d, b + 32),
            size: be32(d, b + 36),
        }
    }

    /// The path of `entry`, as bytes.
    pub fn path(&self, entry: &Entry) -> &[u8] {
        let r = entry.path.start as usize..entry.path.end as usize;
        if self.v4 {
            &self.paths[r]
        } else {
            &self.data[r]
        }
    }

    /// The stage-0 entry at `path`, by binary search.
    pub fn find(&self, path: &[u8]) -> Option<&Entry> {
        let i = self
            .entries
            .partition_point(|e| (self.path(e), e.stage) < (path, 0));
        self.entries
            .get(i)
            .filter(|e| e.stage == 0 && self.path(e) == path)
    }
}

/// Parses one cache-tree node and its subtrees (pre-order) into `tree`.
fn parse_tree(at: &mut &[u8], tree: &mut CacheTree) -> Option<()> {
    // `<name> NUL <entry count> SP <subtree count> LF [<20-byte id>]`; an
    // entry count of -1 marks a directory whose tree id is not known.
    let nul = at.iter().position(|&b| b == 0)?;
    let start = tree.names.len();
    tree.names.extend_from_slice(&at[..nul]);
    let name = start..tree.names.len();
    let (valid, rest) = match at.get(nul + 1)? {
        b'-' => (false, &at[nul + 2..]),
        _ => (true, &at[nul + 1..]),
    };
    let (_, rest) = decimal(rest, b' ')?;
    let (subtrees, rest) = decimal(rest, b'\n')?;
    *at = rest;
    let oid = if valid {
        let oid: [u8; 20] = at.get(..20)?.try_into().ok()?;
        *at = &at[20..];
        Some(oid)
    } else {
        None
    };
    let me = tree.nodes.len();
    tree.nodes.push(Node { name, oid, len: 1 });
    for _ in 0..subtrees {
        parse_tree(at, tree)?;
    }
    tree.nodes[me].len = tree.nodes.len() - me;
    Some(())
}

/// An unsigned decimal number ending at `end`: its value and what follows `end`.
fn decimal(s: &[u8], end: u8) -> Option<(usize, &[u8])> {
    let digits = s.iter().position(|&b| !b.is_ascii_digit())?;
    if digits == 0 || s[digits] != end {
        return None;
    }
    let mut n: usize = 0;
    for &d in &s[..digits] {
        n = n.checked_mul(10)?.checked_add(usize::from(d - b'0'))?;
    }
    Some((n, &s[digits + 1..]))
}

/// git's offset varint (`decode_varint` in varint.c): bytes consumed and value.
fn varint(buf: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    let mut c = *buf.first()?;
    let mut val = usize::from(c & 127);
    while c & 128 != 0 {
        i += 1;
        c = *buf.get(i)?;
        val = val.checked_add(1)?.checked_mul(128)? + usize::from(c & 127);
    }
    Some((val, i + 1))
}

fn be32(d: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(d[at..at + 4].try_into().expect("4 bytes"))
}

fn be16(d: &[u8], at: usize) -> u16 {
    u16::from_be_bytes(d[at..at + 2].try_into().expect("2 bytes"))
}

/// The file's modification time, as git's stat data holds it.
#[cfg(unix)]
fn mtime_of(path: &Path) -> Option<(i64, u32)> {
    Some(Stat::of_file(&std::fs::metadata(path).ok()?).mtime)
}

/// Without Unix stat data the work tree is never trusted (see `worktree`).
#[cfg(not(unix))]
fn mtime_of(_path: &Path) -> Option<(i64, u32)> {
    None
}
