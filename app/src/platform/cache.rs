//! Results of expensive reads (a search, a list page), kept per tenant until the tenant's data of
//! that kind changes — the model of a search engine's request cache. Each slice registers the
//! kinds of result it keeps ([`Slot`]); the platform keeps signed-in users and sessions.
//!
//! Changes are learnt from PostgreSQL: statement-level triggers on the tables a result is read
//! from call `pg_notify('millwright_changes', '<kind>:<tenant>')`, delivered at commit to every
//! server instance's listener, which drops that tenant's results of that kind. A result is
//! stored with the tenant's generation read *before* its query ran, so a result computed while
//! a change committed is never served after the notification arrives. The cache is used only
//! while the listener is connected; losing the connection (notifications may have been missed)
//! drops everything.
use std::any::{Any, TypeId};
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use uuid::Uuid;

/// The kinds of change the platform itself announces: users, their roles and grants, tenants and
/// plants (who is calling), and one ended session (the payload names the session, not a tenant).
pub const PRINCIPALS: &str = "principals";
pub const SESSIONS: &str = "sessions";

/// A kind of result a slice keeps, named by a marker type: what it is keyed by, what it holds,
/// which kind of change (the argument of the `notify_change` trigger on the tables it reads)
/// drops it, and how many are kept per instance. The slice registers it once
/// ([`Caches::register`]) and reads through [`Caches::get_or_load`].
pub trait Slot: 'static {
    type Key: Clone + Eq + Hash + Send + Sync + 'static;
    type Value: Send + Sync + 'static;
    const KIND: &'static str;
    const CAPACITY: usize;
}

/// The state of a tenant's data of one kind when a read started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    epoch: u64,
    generation: u64,
}

struct Entry<V> {
    stamp: Stamp,
    value: Arc<V>,
}

/// A map of at most `capacity` entries: the oldest inserted go first.
struct Bounded<K, V> {
    entries: HashMap<K, V>,
    /// Keys in insertion order; may still hold keys removed since (skipped when evicting).
    order: VecDeque<K>,
    capacity: usize,
}

impl<K: Clone + Eq + Hash, V> Bounded<K, V> {
    fn new(capacity: usize) -> Self {
        Bounded {
            entries: HashMap::new(),
            order: VecDeque::new(),
            capacity,
        }
    }

    fn get(&self, key: &K) -> Option<&V> {
        self.entries.get(key)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.entries.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.entries.len() > self.capacity {
            match self.order.pop_front() {
                Some(old) => {
                    self.entries.remove(&old);
                }
                None => break,
            }
        }
        if self.order.len() > 2 * self.capacity {
            let Bounded { order, entries, .. } = self;
            order.retain(|k| entries.contains_key(k));
        }
    }

    fn remove(&mut self, key: &K) {
        self.entries.remove(key);
    }

    fn retain(&mut self, keep: impl Fn(&K) -> bool) {
        self.entries.retain(|k, _| keep(k));
        let Bounded { order, entries, .. } = self;
        order.retain(|k| entries.contains_key(k));
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.order.clear();
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

struct Inner<K, V> {
    epoch: u64,
    generations: HashMap<Uuid, u64>,
    entries: Bounded<(Uuid, K), Entry<V>>,
}

/// A bounded map of results of one kind (oldest dropped first), each valid for one generation of
/// its tenant's data.
pub struct ResultCache<K, V> {
    kind: &'static str,
    inner: Mutex<Inner<K, V>>,
    listening: AtomicBool,
}

impl<K: Clone + Eq + Hash, V> ResultCache<K, V> {
    pub fn new(kind: &'static str, capacity: usize) -> Self {
        ResultCache {
            kind,
            inner: Mutex::new(Inner {
                epoch: 0,
                generations: HashMap::new(),
                entries: Bounded::new(capacity),
            }),
            listening: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<K, V>> {
        // a panic while holding the lock leaves consistent maps (no invariant spans two writes)
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether changes are being heard; without that nothing is served or kept.
    pub fn set_listening(&self, on: bool) {
        self.listening.store(on, Ordering::SeqCst);
        if !on {
            self.clear();
        }
    }

    fn current(inner: &Inner<K, V>, tenant: Uuid) -> Stamp {
        Stamp {
            epoch: inner.epoch,
            generation: inner.generations.get(&tenant).copied().unwrap_or(0),
        }
    }

    /// Read before the query: None when the cache is off.
    pub fn stamp(&self, tenant: Uuid) -> Option<Stamp> {
        if !self.listening.load(Ordering::SeqCst) {
            return None;
        }
        Some(Self::current(&self.lock(), tenant))
    }

    pub fn get(&self, tenant: Uuid, key: &K, stamp: Stamp) -> Option<Arc<V>> {
        let inner = self.lock();
        let e = inner.entries.get(&(tenant, key.clone()))?;
        (e.stamp == stamp).then(|| e.value.clone())
    }

    /// Keeps `value` if nothing changed since `stamp` was read.
    pub fn put(&self, tenant: Uuid, key: K, stamp: Stamp, value: Arc<V>) {
        let mut inner = self.lock();
        if Self::current(&inner, tenant) != stamp || !self.listening.load(Ordering::SeqCst) {
            return;
        }
        inner.entries.insert((tenant, key), Entry { stamp, value });
    }

    /// The kept value for `key`, or else `load`'s, which is kept for the next caller.
    pub async fn get_or_load<E>(
        &self,
        tenant: Uuid,
        key: K,
        load: impl std::future::Future<Output = Result<V, E>>,
    ) -> Result<Arc<V>, E> {
        let stamp = self.stamp(tenant);
        if let Some(hit) = stamp.and_then(|s| self.get(tenant, &key, s)) {
            return Ok(hit);
        }
        let value = Arc::new(load.await?);
        if let Some(stamp) = stamp {
            self.put(tenant, key, stamp, value.clone());
        }
        Ok(value)
    }

    /// The tenant's data of this kind changed: its results are dropped.
    pub fn invalidate(&self, tenant: Uuid) {
        let mut inner = self.lock();
        *inner.generations.entry(tenant).or_default() += 1;
        inner.entries.retain(|k| k.0 != tenant);
    }

    /// Everything may have changed (a change without a tenant, or notifications missed).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.epoch += 1;
        inner.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A notification payload `<kind>:<tenant>`: this kind's drops the tenant's results, another
    /// kind's is ignored, anything else clears the whole cache.
    pub fn apply(&self, payload: &str) {
        let parsed = payload
            .split_once(':')
            .and_then(|(k, t)| Some((k, t.parse::<Uuid>().ok()?)));
        match parsed {
            Some((kind, tenant)) if kind == self.kind => self.invalidate(tenant),
            Some(_) => {}
            None => self.clear(),
        }
    }
}

/// What the listener needs of each slice's results, whatever their key and value.
trait Kept: Send + Sync {
    fn set_listening(&self, on: bool);
    fn apply(&self, payload: &str);
    fn invalidate(&self, tenant: Uuid);
    fn clear(&self);
}

impl<K: Clone + Eq + Hash + Send + Sync, V: Send + Sync> Kept for ResultCache<K, V> {
    fn set_listening(&self, on: bool) {
        ResultCache::set_listening(self, on)
    }
    fn apply(&self, payload: &str) {
        ResultCache::apply(self, payload)
    }
    fn invalidate(&self, tenant: Uuid) {
        ResultCache::invalidate(self, tenant)
    }
    fn clear(&self) {
        ResultCache::clear(self)
    }
}

struct Registered {
    kind: &'static str,
    /// Kept at all (a configuration may turn one slot off).
    on: bool,
    cache: Arc<dyn Kept>,
    slot: Arc<dyn Any + Send + Sync>,
}

/// Every result cache of a server instance, fed by one listener: the platform's own (signed-in
/// users, sessions) and those the slices register.
pub struct Caches {
    /// Off by configuration: nothing is ever kept.
    enabled: bool,
    /// Signed-in users with their grants, by user (read on every request); None: no such active user.
    pub principals: ResultCache<Uuid, Option<crate::platform::model::SessionUser>>,
    /// Session records by id, so a signed-in request does not read the session table.
    pub sessions: SessionCache,
    slots: HashMap<TypeId, Registered>,
}

/// Users kept per instance (about 2 KB each).
const PRINCIPAL_ENTRIES: usize = 5_000;

impl Caches {
    /// `enabled`: keep anything at all.
    pub fn new(enabled: bool) -> Self {
        Caches {
            enabled,
            principals: ResultCache::new(PRINCIPALS, PRINCIPAL_ENTRIES),
            sessions: SessionCache::new(SESSION_ENTRIES),
            slots: HashMap::new(),
        }
    }

    /// Adds a slice's kind of result; `on`: false never keeps it (the slice's reads go to the
    /// database every time). Registering a slot again replaces it.
    pub fn register<S: Slot>(&mut self, on: bool) {
        let cache = Arc::new(ResultCache::<S::Key, S::Value>::new(S::KIND, S::CAPACITY));
        self.slots.insert(
            TypeId::of::<S>(),
            Registered {
                kind: S::KIND,
                on,
                cache: cache.clone(),
                slot: cache,
            },
        );
    }

    /// The results of slot `S`, if registered.
    pub fn of<S: Slot>(&self) -> Option<&ResultCache<S::Key, S::Value>> {
        self.slots
            .get(&TypeId::of::<S>())
            .and_then(|r| r.slot.downcast_ref::<ResultCache<S::Key, S::Value>>())
    }

    /// The kept result of `S` for `key`, or else `load`'s, kept for the next caller (always
    /// `load`'s when `S` is not registered).
    pub async fn get_or_load<S: Slot, E>(
        &self,
        tenant: Uuid,
        key: S::Key,
        load: impl std::future::Future<Output = Result<S::Value, E>>,
    ) -> Result<Arc<S::Value>, E> {
        match self.of::<S>() {
            Some(cache) => cache.get_or_load(tenant, key, load).await,
            None => Ok(Arc::new(load.await?)),
        }
    }

    /// Called by the listener: on once it hears changes, off when it lost them.
    pub fn set_listening(&self, on: bool) {
        self.principals.set_listening(on && self.enabled);
        self.sessions.set_listening(on && self.enabled);
        for r in self.slots.values() {
            r.cache.set_listening(on && self.enabled && r.on);
        }
    }

    /// A `millwright_changes` payload `<kind>:<tenant>` (or `sessions:<id>`). A kind nobody
    /// registered, or anything unreadable, clears everything: a change may have been missed.
    pub fn apply(&self, payload: &str) {
        let known = payload.split_once(':').is_some_and(|(kind, _)| {
            kind == PRINCIPALS || kind == SESSIONS || self.slots.values().any(|r| r.kind == kind)
        });
        if !known {
            self.clear();
            return;
        }
        self.principals.apply(payload);
        self.sessions.apply(payload);
        for r in self.slots.values() {
            r.cache.apply(payload);
        }
    }

    /// A write request of `tenant` has been answered on this instance: its own next request must
    /// see the write even before the notification of the change arrives (read-your-writes), so
    /// the tenant's results of every slice are dropped here at once. The principal is dropped by
    /// the few writes that change it ([`crate::platform::service::set_language`]).
    pub fn written(&self, tenant: Uuid) {
        for r in self.slots.values() {
            r.cache.invalidate(tenant);
        }
    }

    pub fn clear(&self) {
        self.principals.clear();
        self.sessions.clear();
        for r in self.slots.values() {
            r.cache.clear();
        }
    }
}

/// Sessions kept per instance (a few hundred bytes each).
const SESSION_ENTRIES: usize = 20_000;

/// The payload that ends a session on every instance: `sessions:<id as a UUID>`.
pub fn session_payload(id: tower_sessions::session::Id) -> String {
    format!("sessions:{}", Uuid::from_u128(id.0 as u128))
}

struct SessionInner {
    /// Bumped whenever a session is dropped: a record read from the database before that is not kept.
    epoch: u64,
    entries: Bounded<i128, tower_sessions::session::Record>,
}

/// Session records as the session table holds them, kept by the instance that read or wrote them.
/// A record is served only until its expiry; a session ended anywhere (logout, the id cycled at
/// login or password change) is announced on `millwright_changes` and dropped on every instance,
/// and a record read while such an announcement arrived is not kept. Like the result caches, it is
/// used only while the listener hears changes.
pub struct SessionCache {
    inner: Mutex<SessionInner>,
    listening: AtomicBool,
}

impl SessionCache {
    pub fn new(capacity: usize) -> Self {
        SessionCache {
            inner: Mutex::new(SessionInner {
                epoch: 0,
                entries: Bounded::new(capacity),
            }),
            listening: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, SessionInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_listening(&self, on: bool) {
        self.listening.store(on, Ordering::SeqCst);
        if !on {
            self.clear();
        }
    }

    /// Read before loading a record from the database; None when the cache is off.
    pub fn stamp(&self) -> Option<u64> {
        if !self.listening.load(Ordering::SeqCst) {
            return None;
        }
        Some(self.lock().epoch)
    }

    /// The kept record, unless it has expired.
    pub fn get(&self, id: tower_sessions::session::Id) -> Option<tower_sessions::session::Record> {
        if !self.listening.load(Ordering::SeqCst) {
            return None;
        }
        let inner = self.lock();
        let record = inner.entries.get(&id.0)?;
        (record.expiry_date > tower_sessions::cookie::time::OffsetDateTime::now_utc())
            .then(|| record.clone())
    }

    /// Keeps `record` if no session was dropped since `stamp` was read.
    pub fn put(&self, stamp: u64, record: &tower_sessions::session::Record) {
        let mut inner = self.lock();
        if inner.epoch != stamp || !self.listening.load(Ordering::SeqCst) {
            return;
        }
        inner.entries.insert(record.id.0, record.clone());
    }

    /// A session ended: it is not served again, nor kept from a read that raced with the end.
    pub fn remove(&self, id: i128) {
        let mut inner = self.lock();
        inner.epoch += 1;
        inner.entries.remove(&id);
    }

    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.epoch += 1;
        inner.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `sessions:<id>` drops that session; other kinds are not about sessions (the [`Caches`]
    /// decide whether a kind is known); garbage clears all.
    pub fn apply(&self, payload: &str) {
        match payload.split_once(':') {
            Some((SESSIONS, id)) => match id.parse::<Uuid>() {
                Ok(id) => self.remove(id.as_u128() as i128),
                Err(_) => self.clear(),
            },
            Some(_) => {}
            None => self.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> ResultCache<String, u32> {
        let c = ResultCache::new("inventory", 3);
        c.set_listening(true);
        c
    }

    #[test]
    fn a_result_is_served_until_its_tenant_changes() {
        let c = cache();
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let s = c.stamp(a).unwrap();
        c.put(a, "q".into(), s, Arc::new(1));
        let sb = c.stamp(b).unwrap();
        c.put(b, "q".into(), sb, Arc::new(2));
        assert_eq!(c.get(a, &"q".into(), s).as_deref(), Some(&1));
        c.apply(&format!("inventory:{a}"));
        let s2 = c.stamp(a).unwrap();
        assert_ne!(s, s2);
        assert_eq!(c.get(a, &"q".into(), s2), None);
        // the other tenant and the other kind keep theirs
        assert_eq!(c.get(b, &"q".into(), sb).as_deref(), Some(&2));
        c.apply(&format!("requisitions:{b}"));
        assert_eq!(c.get(b, &"q".into(), sb).as_deref(), Some(&2));
    }

    #[test]
    fn a_result_read_while_a_change_committed_is_not_kept() {
        let c = cache();
        let a = Uuid::new_v4();
        let before = c.stamp(a).unwrap();
        c.invalidate(a); // the change's notification arrives during the query
        c.put(a, "q".into(), before, Arc::new(1));
        assert!(c.is_empty());
    }

    #[test]
    fn nothing_is_kept_or_served_without_the_listener() {
        let c: ResultCache<String, u32> = ResultCache::new("inventory", 3);
        assert!(c.stamp(Uuid::new_v4()).is_none());
        let on = cache();
        let a = Uuid::new_v4();
        let s = on.stamp(a).unwrap();
        on.put(a, "q".into(), s, Arc::new(1));
        on.set_listening(false);
        assert!(on.is_empty());
        assert!(on.stamp(a).is_none());
    }

    fn record(id: i128, minutes: i64) -> tower_sessions::session::Record {
        tower_sessions::session::Record {
            id: tower_sessions::session::Id(id),
            data: Default::default(),
            expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc()
                + tower_sessions::cookie::time::Duration::minutes(minutes),
        }
    }

    #[test]
    fn a_session_is_kept_until_it_ends_anywhere_or_expires() {
        let c = SessionCache::new(2);
        assert!(c.stamp().is_none(), "off until the listener hears changes");
        c.set_listening(true);
        let s = c.stamp().unwrap();
        c.put(s, &record(-7, 10));
        c.put(s, &record(8, -1));
        assert_eq!(
            c.get(tower_sessions::session::Id(-7)).map(|r| r.id.0),
            Some(-7)
        );
        assert!(c.get(tower_sessions::session::Id(8)).is_none(), "expired");
        // ended on another instance: the announcement drops it, and a read that raced is not kept
        let before = c.stamp().unwrap();
        c.apply(&session_payload(tower_sessions::session::Id(-7)));
        assert!(c.get(tower_sessions::session::Id(-7)).is_none());
        c.put(before, &record(-7, 10));
        assert!(c.get(tower_sessions::session::Id(-7)).is_none());
        // other kinds leave sessions alone; the oldest go first beyond the capacity
        let s = c.stamp().unwrap();
        for id in 1..=3 {
            c.put(s, &record(id, 10));
        }
        c.apply(&format!("principals:{}", Uuid::new_v4()));
        assert_eq!(c.len(), 2);
        assert!(c.get(tower_sessions::session::Id(1)).is_none());
        assert!(c.get(tower_sessions::session::Id(3)).is_some());
        c.set_listening(false);
        assert!(c.is_empty() && c.get(tower_sessions::session::Id(3)).is_none());
    }

    #[test]
    fn the_oldest_results_go_first_and_garbage_clears_everything() {
        let c = cache();
        let a = Uuid::new_v4();
        let s = c.stamp(a).unwrap();
        for (i, q) in ["1", "2", "3", "4"].iter().enumerate() {
            c.put(a, (*q).into(), s, Arc::new(i as u32));
        }
        assert_eq!(c.len(), 3);
        assert_eq!(c.get(a, &"1".into(), s), None);
        assert_eq!(c.get(a, &"4".into(), s).as_deref(), Some(&3));
        c.apply("something else");
        assert!(c.is_empty());
        assert_ne!(c.stamp(a), Some(s));
    }
}
