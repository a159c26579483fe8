//! The embedded default database: a PostgreSQL cluster in a folder of the project, started with the
//! machine's own binaries (as an unprivileged OS user when we run as root, since PostgreSQL refuses
//! root), listening only on a Unix socket inside that folder, and stopped when the server stops.
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct ManagedPostgres {
    data_dir: PathBuf,
    pg_ctl: PathBuf,
    run_as: Option<(u32, u32)>,
    /// Started by us (and so ours to stop), rather than found running.
    started: bool,
}

fn find_binary(name: &str) -> Result<PathBuf, String> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin").join(name))
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    versions.pop().ok_or_else(|| {
        format!("PostgreSQL's {name} was not found on PATH or in /usr/lib/postgresql/*/bin")
    })
}

impl ManagedPostgres {
    /// Initialises the cluster on first use, starts it (or reuses a running one) and returns its URL.
    pub fn start(data_dir: &Path, os_user: &str) -> Result<(ManagedPostgres, String), String> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(|e| format!("{}: {e}", data_dir.display()))?;
        let run_as = if nix::unistd::geteuid().is_root() {
            let user = nix::unistd::User::from_name(os_user)
                .map_err(|e| format!("looking up OS user {os_user}: {e}"))?
                .ok_or_else(|| format!("running as root needs an unprivileged OS user {os_user:?} for PostgreSQL (set MILLWRIGHT_PG_USER)"))?;
            nix::unistd::chown(&data_dir, Some(user.uid), Some(user.gid))
                .map_err(|e| format!("chown {}: {e}", data_dir.display()))?;
            Some((user.uid.as_raw(), user.gid.as_raw()))
        } else {
            None
        };
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&data_dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("chmod {}: {e}", data_dir.display()))?;

        let pg_ctl = find_binary("pg_ctl")?;
        let mut this = ManagedPostgres {
            data_dir: data_dir.clone(),
            pg_ctl,
            run_as,
            started: false,
        };
        if !data_dir.join("PG_VERSION").exists() {
            let initdb = find_binary("initdb")?;
            tracing::info!(dir = %data_dir.display(), "initialising the managed PostgreSQL cluster");
            this.run(Command::new(initdb).args(["-D"]).arg(&data_dir).args([
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ]))?;
        }
        let running = this.command_status(
            Command::new(&this.pg_ctl)
                .arg("status")
                .arg("-D")
                .arg(&data_dir),
        );
        if running {
            tracing::info!(dir = %data_dir.display(), "reusing the running managed PostgreSQL");
        } else {
            let opts = format!(
                "-c listen_addresses='' -c unix_socket_directories='{}' -c max_connections=200 -c shared_buffers=128MB",
                data_dir.display()
            );
            tracing::info!(dir = %data_dir.display(), "starting the managed PostgreSQL");
            // its own process group: a Ctrl-C in the terminal reaches us, and we stop PostgreSQL after draining requests
            this.run(
                Command::new(&this.pg_ctl)
                    .process_group(0)
                    .arg("start")
                    .arg("-D")
                    .arg(&data_dir)
                    .args(["-w", "-t", "60", "-o", &opts, "-l"])
                    .arg(data_dir.join("server.log")),
            )?;
            this.started = true;
        }
        let url = format!(
            "postgres://postgres@localhost/millwright?host={}",
            data_dir.display()
        );
        Ok((this, url))
    }

    fn prepare(&self, cmd: &mut Command) {
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        cmd.current_dir(&self.data_dir);
    }

    fn run(&self, cmd: &mut Command) -> Result<(), String> {
        self.prepare(cmd);
        let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{:?} failed: {}{}",
                cmd.get_program(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    fn command_status(&self, cmd: &mut Command) -> bool {
        self.prepare(cmd);
        cmd.output().map(|o| o.status.success()).unwrap_or(false)
    }

    /// The URL of the maintenance database, to create ours.
    pub fn admin_url(&self) -> String {
        format!(
            "postgres://postgres@localhost/postgres?host={}",
            self.data_dir.display()
        )
    }

    /// Stops the cluster if this process started it ("fast": clients are disconnected, data is safe).
    pub fn stop(&mut self) {
        if !self.started {
            return;
        }
        tracing::info!("stopping the managed PostgreSQL");
        let data_dir = self.data_dir.clone();
        if let Err(e) = self.run(
            Command::new(&self.pg_ctl)
                .arg("stop")
                .arg("-D")
                .arg(&data_dir)
                .args(["-m", "fast", "-w"]),
        ) {
            tracing::error!(error = %e, "stopping PostgreSQL failed");
        }
        self.started = false;
    }
}

impl Drop for ManagedPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}
