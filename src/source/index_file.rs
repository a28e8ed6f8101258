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
//! A split index (`link` extension) is read with its shared index file
//! (`sharedindex.<id>`) and its delete and replace bitmaps; a sparse index
//! (`sdir`) keeps its directory entries (mode 040000, path ending in `/`),
//! which the diff compares with HEAD's tree at that path. Optional
//! extensions (upper-case first letter: untracked cache, fsmonitor, ...) are
//! skipped; an unknown version or mandatory extension is [`Unsupported`].
//! Every loop is bounded by the file's size: a corrupt index is an error,
//! never a panic or a hang.

use super::worktree::Stat;
use git2::Oid;
use std::ops::Range;
use std::path::Path;

/// An index file keyhook's own parser does not handle; libgit2 reads it instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

/// One index entry. Its path, object id and stat data are read from the
/// index's bytes when asked for ([`IndexFile::path`], [`IndexFile::oid`],
/// [`IndexFile::stat`]): a hook needs them for a handful of entries.
#[derive(Debug, Clone)]
pub struct Entry {
    path: Range<u32>,
    /// Offset of the entry in the index file (or in the shared index).
    at: u32,
    /// The entry's bytes are in the shared index of a split index.
    shared: bool,
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
    /// How many index entries the directory covers, as the extension says.
    entries: usize,
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
    /// The directory's tree id, when the cache-tree knows it and says the
    /// directory covers `entries` index entries. A node whose count differs
    /// from the entries the index has there is stale or corrupt (an entry
    /// moved into a directory whose tree id still says unchanged): trusting
    /// it would skip that entry, so its tree is read instead.
    pub fn oid(self, entries: usize) -> Option<Oid> {
        let node = &self.tree.nodes[self.at];
        node.oid
            .filter(|_| node.entries == entries)
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
    /// The shared index of a split index.
    shared: Bytes,
    /// Paths read into memory: version 4 paths, rebuilt from their prefix
    /// compression, and every path of a split index (earlier versions' paths
    /// are otherwise read in `data`).
    paths: Vec<u8>,
    v4: bool,
    /// Entries in index order (sorted by path, then stage).
    pub entries: Vec<Entry>,
    /// The cache-tree, when the index has one.
    pub tree: Option<CacheTree>,
}

impl IndexFile {
    /// Reads and parses the index at `path`. A missing file is an empty index
    /// (a repository before its first `git add`).
    pub fn read(path: &Path, git_dir: &Path) -> std::io::Result<Result<IndexFile, Unsupported>> {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Ok(IndexFile::default()))
            }
            Err(e) => return Err(e),
        };
        let data = Bytes::of(file)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        Ok(IndexFile::parse_with(data, |hex| {
            let name = format!("sharedindex.{hex}");
            let file = std::fs::File::open(git_dir.join(&name))
                .or_else(|_| std::fs::File::open(dir.join(&name)))
                .ok()?;
            Bytes::of(file).ok()
        }))
    }

    /// Parses the bytes of an index file that is not split.
    pub fn parse(data: Bytes) -> Result<IndexFile, Unsupported> {
        IndexFile::parse_with(data, |_| None)
    }

    /// Parses the bytes of an index file; `shared` opens a split index's
    /// shared index by its hex id.
    pub fn parse_with(
        data: Bytes,
        shared: impl FnOnce(&str) -> Option<Bytes>,
    ) -> Result<IndexFile, Unsupported> {
        let (mut entries, mut paths, mut pos, mut v4) = read_entries(&data, false, Vec::new())?;
        let end = data.len() - HASH;
        let mut tree = None;
        let mut link = None;
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
                    if parse_tree(&mut at, &mut t, 0).is_some() {
                        tree = Some(t);
                    }
                }
                b"link" => link = Some(body.clone()),
                // Directory entries are read as entries; the diff expands them.
                b"sdir" => {}
                // Unknown required extensions (lower-case first letter) change
                // what the entries mean: reading on would misread them.
                s if !s[0].is_ascii_uppercase() => {
                    return Err(Unsupported("unknown required extension"))
                }
                _ => {}
            }
            pos = body.end;
        }
        let mut shared_bytes = Bytes::Empty;
        if let Some(body) = link {
            let ext = &data[body];
            let id = ext
                .get(..HASH)
                .ok_or(Unsupported("corrupt link extension"))?;
            if id.iter().any(|&b| b != 0) {
                let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
                shared_bytes = shared(&hex).ok_or(Unsupported("shared index file missing"))?;
                // Every path in memory: the entries now come from two files.
                if !v4 {
                    for e in &mut entries {
                        let r = e.path.start as usize..e.path.end as usize;
                        let start = paths.len() as u32;
                        paths.extend_from_slice(&data[r]);
                        e.path = start..paths.len() as u32;
                    }
                    v4 = true;
                }
                let (base, all_paths, _, _) = read_entries(&shared_bytes, true, paths)?;
                paths = all_paths;
                entries = merge_split(base, entries, &ext[HASH..], &paths)?;
            }
        }
        let index = IndexFile {
            data,
            shared: shared_bytes,
            paths,
            v4,
            entries,
            tree,
        };
        // The diff walks entries as sorted runs: out of order (a corrupt
        // index), some would be skipped silently.
        let sorted = index
            .entries
            .windows(2)
            .all(|w| (index.path(&w[0]), w[0].stage) <= (index.path(&w[1]), w[1].stage));
        if !sorted {
            return Err(Unsupported("index entries out of order"));
        }
        Ok(index)
    }

    /// The staged blob (or gitlink commit) of `entry`.
    pub fn oid(&self, entry: &Entry) -> Oid {
        let at = entry.at as usize + 40;
        Oid::from_bytes(&self.bytes_of(entry)[at..at + 20]).expect("20 bytes")
    }

    /// The file holding `entry`'s fixed fields.
    fn bytes_of(&self, entry: &Entry) -> &[u8] {
        if entry.shared {
            &self.shared
        } else {
            &self.data
        }
    }

    /// The stat data recorded when `entry` was staged.
    pub fn stat(&self, entry: &Entry) -> Stat {
        let (d, b) = (self.bytes_of(entry), entry.at as usize);
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

/// The trailing checksum's size (SHA-1; zero bytes under `index.skipHash`).
const HASH: usize = 20;

/// Deepest cache-tree nesting accepted (each level is a path component).
const MAX_DEPTH: usize = 4096;

/// Longest path accepted: bounds the work a version 4 prefix can ask for.
const MAX_PATH: usize = 1 << 16;

/// Parsed entries, the paths read into memory, where the extensions start,
/// and whether the paths are in memory.
type Entries = (Vec<Entry>, Vec<u8>, usize, bool);

/// Reads the header and entries of an index file's bytes. `shared` marks the
/// entries as the shared index's and reads every path into `paths`.
fn read_entries(data: &[u8], shared: bool, mut paths: Vec<u8>) -> Result<Entries, Unsupported> {
    if data.len() < 12 + HASH || &data[..4] != b"DIRC" {
        return Err(Unsupported("not an index file"));
    }
    if data.len() > u32::MAX as usize {
        return Err(Unsupported("index over 4 GiB"));
    }
    let version = be32(data, 4);
    if !(2..=4).contains(&version) {
        return Err(Unsupported("index version"));
    }
    let count = be32(data, 8) as usize;
    let end = data.len() - HASH;
    let v4 = version == 4;
    let owned = shared;
    let mut entries = Vec::with_capacity(count.min(end / 62));
    let mut pos = 12;
    let mut prev: Range<usize> = 0..0;
    for _ in 0..count {
        let base = pos;
        let fixed = base + 62;
        if fixed > end {
            return Err(Unsupported("truncated entry"));
        }
        let flags = be16(data, base + 60);
        let mut name_at = fixed;
        let mut flags_ext = 0;
        if flags & 0x4000 != 0 {
            if version < 3 || name_at + 2 > end {
                return Err(Unsupported("extended flags"));
            }
            flags_ext = be16(data, name_at);
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
            if keep + nul > MAX_PATH {
                return Err(Unsupported("path too long"));
            }
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
            path = if owned {
                let start = paths.len();
                paths.extend_from_slice(&data[name_at..name_at + nul]);
                start..paths.len()
            } else {
                name_at..name_at + nul
            };
            // NUL-padded to a multiple of 8 bytes, with at least one NUL.
            pos = base + ((name_at - base + nul + 8) & !7);
        }
        let mode = be32(data, base + 24);
        entries.push(Entry {
            path: path.start as u32..path.end as u32,
            at: base as u32,
            shared,
            mode,
            stage: ((flags >> 12) & 3) as u8,
            worktree_unreliable: flags & 0x8000 != 0 || flags_ext & 0x6000 != 0,
        });
    }
    Ok((entries, paths, pos, v4 || shared))
}

/// A split index's entries: the shared index's `base`, where the replace
/// bitmap names entries that the main file's first entries replace (in
/// order; an empty path keeps the shared entry's), less those the delete
/// bitmap names, and the main file's other entries added (replacing an entry
/// of the same path and stage), in index order.
fn merge_split(
    mut base: Vec<Entry>,
    main: Vec<Entry>,
    bitmaps: &[u8],
    paths: &[u8],
) -> Result<Vec<Entry>, Unsupported> {
    let corrupt = Unsupported("corrupt link extension");
    let (delete, replace) = if bitmaps.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let (delete, used) = ewah(bitmaps, base.len()).ok_or(corrupt)?;
        let (replace, rest) = ewah(&bitmaps[used..], base.len()).ok_or(corrupt)?;
        if rest != bitmaps.len() - used {
            return Err(corrupt);
        }
        (delete, replace)
    };
    if replace.len() > main.len() {
        return Err(corrupt);
    }
    let mut main = main.into_iter();
    for &at in &replace {
        let new = main.next().ok_or(corrupt)?;
        let old = &mut base[at];
        let path = if new.path.is_empty() {
            old.path.clone()
        } else {
            new.path
        };
        *old = Entry { path, ..new };
    }
    let mut deleted = vec![false; base.len()];
    for at in delete {
        deleted[at] = true;
    }
    let mut all: Vec<(Entry, bool)> = base
        .into_iter()
        .zip(deleted)
        .filter(|(_, d)| !d)
        .map(|(e, _)| (e, false))
        .collect();
    all.extend(main.map(|e| (e, true)));
    let key = |e: &Entry| (&paths[e.path.start as usize..e.path.end as usize], e.stage);
    all.sort_by(|a, b| key(&a.0).cmp(&key(&b.0)));
    let mut out: Vec<Entry> = Vec::with_capacity(all.len());
    for (e, added) in all {
        if let Some(last) = out.last() {
            if added && key(last) == key(&e) {
                out.pop();
            }
        }
        out.push(e);
    }
    Ok(out)
}

/// An EWAH bitmap as git serializes it (`ewah/ewah_io.c`): bit count (u32),
/// word count (u32), that many 64-bit words, the last marker's position
/// (u32), all big-endian. Each marker word holds a run bit (bit 0), a run
/// length in words (bits 1-32) and the number of literal words after it
/// (bits 33-63). The set positions, each under `limit`, and bytes used.
fn ewah(buf: &[u8], limit: usize) -> Option<(Vec<usize>, usize)> {
    let words = usize::try_from(u32::from_be_bytes(buf.get(4..8)?.try_into().ok()?)).ok()?;
    let used = 8usize.checked_add(words.checked_mul(8)?)?.checked_add(4)?;
    let body = buf.get(8..used - 4)?;
    let word = |i: usize| u64::from_be_bytes(body[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
    let mut out = Vec::new();
    let (mut i, mut pos) = (0usize, 0usize);
    while i < words {
        let marker = word(i);
        let run = usize::try_from((marker >> 1) & 0xFFFF_FFFF).ok()?;
        let literals = usize::try_from(marker >> 33).ok()?;
        let run_bits = run.checked_mul(64)?;
        if marker & 1 != 0 {
            // Every bit of the run is set: each must be an entry.
            if pos.checked_add(run_bits)? > limit {
                return None;
            }
            out.extend(pos..pos + run_bits);
        }
        pos = pos.checked_add(run_bits)?;
        if i.checked_add(literals)? >= words {
            return None;
        }
        for k in 1..=literals {
            let w = word(i + k);
            for bit in 0..64 {
                if w >> bit & 1 != 0 {
                    let at = pos + bit;
                    if at >= limit {
                        return None;
                    }
                    out.push(at);
                }
            }
            pos = pos.checked_add(64)?;
        }
        i += 1 + literals;
    }
    Some((out, used))
}

/// Parses one cache-tree node and its subtrees (pre-order) into `tree`.
fn parse_tree(at: &mut &[u8], tree: &mut CacheTree, depth: usize) -> Option<()> {
    // Deeper than any path git accepts: a corrupt extension, not a stack overflow.
    if depth > MAX_DEPTH {
        return None;
    }
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
    let (entries, rest) = decimal(rest, b' ')?;
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
    tree.nodes.push(Node {
        name,
        oid,
        entries,
        len: 1,
    });
    for _ in 0..subtrees {
        parse_tree(at, tree, depth + 1)?;
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

#[cfg(test)]
mod tests {
    //! Mutation tests: corrupt index bytes never panic or hang, and whenever
    //! they still parse, a staged key blob that the parsed index holds as a
    //! file is in the diff (so it is scanned) or the diff is an error. An
    //! index this reader rejects goes, as in the hook, to libgit2 through
    //! [`staged::changes`](crate::source::staged::changes): that must be an
    //! error (the hook exits 2) or still hold the key, unless the mutation
    //! hit the key's own entry. Checksums are zeroed (index.skipHash): the
    //! parser must stand on its own.

    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A repository with a commit and a fake key staged in `d1/k.env`.
    struct Case {
        _tmp: tempfile::TempDir,
        repo: git2::Repository,
        head: Oid,
        key: Oid,
        /// Where the key's entry lies in the index being mutated.
        key_entry: Range<usize>,
    }

    impl Case {
        /// Six files in two directories, committed; `prepare` may then change
        /// the index layout (split, sparse) before the key is staged.
        fn new(prepare: &[&[&str]]) -> Case {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            git(dir, &["init", "-q", "-b", "main"]);
            for i in 0..6 {
                let p = dir.join(format!("d{}/f{i}.txt", i % 2));
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, format!("line {i}\n")).unwrap();
            }
            git(dir, &["add", "-A"]);
            git(dir, &["commit", "-q", "-m", "base"]);
            for args in prepare {
                git(dir, args);
            }
            let body = [
                "GITHUB_TOKEN=",
                "ghp_",
                "KeyhookFAKE0r8xZ2kQv7LmN4pT1wY6sB3dF\n",
            ]
            .concat();
            std::fs::write(dir.join("d1/k.env"), body).unwrap();
            git(dir, &["add", "-A"]);
            git(dir, &["write-tree"]);
            let repo = git2::Repository::open(dir).unwrap();
            let head = repo.head().unwrap().peel_to_tree().unwrap().id();
            let key = Oid::from_str(git(dir, &["rev-parse", ":d1/k.env"]).trim()).unwrap();
            Case {
                _tmp: tmp,
                repo,
                head,
                key,
                key_entry: 0..0,
            }
        }

        fn dir(&self) -> &Path {
            self.repo.workdir().unwrap()
        }

        /// Parses index bytes as the hook does, with the shared index of a
        /// split index read from the git directory.
        fn parse(&self, bytes: Vec<u8>) -> Result<IndexFile, Unsupported> {
            IndexFile::parse_with(Bytes::Read(bytes), |hex| {
                let name = format!("sharedindex.{hex}");
                std::fs::read(self.repo.path().join(name))
                    .ok()
                    .map(Bytes::Read)
            })
        }

        /// The bytes of the key's entry in the intact index `good`.
        fn find_key_entry(&self, good: &[u8]) -> Range<usize> {
            let index = self.parse(good.to_vec()).expect("the intact index parses");
            let mine: Vec<&Entry> = index.entries.iter().filter(|e| !e.shared).collect();
            let at = mine
                .iter()
                .position(|e| index.oid(e) == self.key)
                .expect("the key's entry is in the index file itself");
            let end = match mine.get(at + 1) {
                Some(next) => next.at as usize,
                None => read_entries(good, false, Vec::new()).unwrap().2,
            };
            mine[at].at as usize..end
        }

        /// Checks `bytes`, which differ from the intact index at `touched`.
        /// Parsed: a staged key blob held as a regular stage-0 file must be
        /// among the changes. Rejected: the hook's libgit2 fallback must fail
        /// or find the key, unless `touched` hit the key's own entry.
        fn check(&self, bytes: Vec<u8>, touched: Range<usize>, what: &str) {
            let Ok(index) = self.parse(bytes.clone()) else {
                return self.check_fallback(bytes, touched, what);
            };
            let key = self.key;
            let holds_key = index.entries.iter().any(|e| {
                e.stage == 0 && crate::source::is_regular_mode(e.mode) && index.oid(e) == key
            });
            if let Ok(changes) =
                crate::source::index_diff::changes(&self.repo, Some(self.head), &index)
            {
                if holds_key {
                    assert!(
                        changes.iter().any(|c| c.new_id == key),
                        "key blob dropped: {what}"
                    );
                }
            }
        }

        /// `bytes` as the repository's index, through the hook's own entry point.
        fn check_fallback(&self, bytes: Vec<u8>, touched: Range<usize>, what: &str) {
            // Replaced by a rename, as git replaces an index: never rewritten
            // under a reader's mapping.
            let tmp = self.repo.path().join("index.mutated");
            std::fs::write(&tmp, bytes).unwrap();
            std::fs::rename(&tmp, self.repo.path().join("index")).unwrap();
            let Ok(changes) = crate::source::staged::changes(&self.repo) else {
                return;
            };
            let intact = touched.end <= self.key_entry.start || touched.start >= self.key_entry.end;
            if intact {
                assert!(
                    changes.iter().any(|c| c.new_id == self.key),
                    "libgit2 fallback dropped the key: {what}"
                );
            }
        }

        /// Cuts, bit flips, and entry counts and extension sizes far past the
        /// file, of the repository's current index; the index is restored after.
        fn mutate(&mut self, label: &str) {
            let path = self.repo.path().join("index");
            let orig = std::fs::read(&path).unwrap();
            let mut good = orig.clone();
            let n = good.len();
            good[n - HASH..].fill(0);
            self.key_entry = self.find_key_entry(&good);
            self.check(good.clone(), 0..0, &format!("{label} intact"));
            for len in 0..n {
                self.check(
                    good[..len].to_vec(),
                    len..n,
                    &format!("{label} cut at {len}"),
                );
            }
            for at in 0..n - HASH {
                for flip in [0x01, 0x80, 0xff] {
                    let mut bad = good.clone();
                    bad[at] ^= flip;
                    self.check(bad, at..at + 1, &format!("{label} byte {at} ^ {flip:#x}"));
                }
            }
            for count in [u32::MAX, 1 << 20, 7, 0] {
                let mut bad = good.clone();
                bad[8..12].copy_from_slice(&count.to_be_bytes());
                self.check(bad, 8..12, &format!("{label} count {count}"));
            }
            for sig in [&b"TREE"[..], b"link", b"sdir"] {
                let Some(t) = good.windows(4).position(|w| w == sig) else {
                    continue;
                };
                for size in [u32::MAX, 1 << 30, 0, 1] {
                    let mut bad = good.clone();
                    bad[t + 4..t + 8].copy_from_slice(&size.to_be_bytes());
                    let what = format!("{label} {} size {size}", String::from_utf8_lossy(sig));
                    self.check(bad, t + 4..t + 8, &what);
                }
            }
            std::fs::write(&path, orig).unwrap();
        }
    }

    #[test]
    fn corrupt_indexes_never_panic_hang_or_drop_a_staged_key() {
        let mut case = Case::new(&[]);
        for version in ["2", "3", "4"] {
            git(case.dir(), &["update-index", "--index-version", version]);
            case.mutate(&format!("v{version}"));
        }
    }

    #[test]
    fn corrupt_split_and_sparse_indexes_never_panic_or_drop_a_staged_key() {
        let mut split = Case::new(&[&["update-index", "--split-index"]]);
        assert!(split
            .parse(std::fs::read(split.repo.path().join("index")).unwrap())
            .is_ok());
        split.mutate("split");
        let mut sparse = Case::new(&[
            &["sparse-checkout", "init", "--cone", "--sparse-index"],
            &["sparse-checkout", "set", "d1"],
        ]);
        let index = std::fs::read(sparse.repo.path().join("index")).unwrap();
        assert!(index.windows(4).any(|w| w == b"sdir"), "not a sparse index");
        sparse.mutate("sparse");
    }

    #[test]
    fn corrupt_ewah_bitmaps_are_errors_not_panics() {
        assert_eq!(ewah(&[], 10), None);
        // One marker: a run of 2^32-1 set words, far past 10 entries.
        let mut b = vec![0, 0, 0, 64, 0, 0, 0, 1];
        b.extend_from_slice(&(u64::from(u32::MAX) << 1 | 1).to_be_bytes());
        b.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(ewah(&b, 10), None);
        // A marker claiming literal words the bitmap does not have.
        let mut b = vec![0, 0, 0, 64, 0, 0, 0, 1];
        b.extend_from_slice(&(5u64 << 33).to_be_bytes());
        b.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(ewah(&b, 10), None);
        // A word count past the buffer.
        assert_eq!(ewah(&[0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff], 10), None);
        // Bits 1 and 3 set in one literal word.
        let mut b = vec![0, 0, 0, 4, 0, 0, 0, 2];
        b.extend_from_slice(&(1u64 << 33).to_be_bytes());
        b.extend_from_slice(&0b1010u64.to_be_bytes());
        b.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(ewah(&b, 10), Some((vec![1, 3], b.len())));
    }
}
