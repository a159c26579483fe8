//! `millwright`: serve (the default), migrate, seed-demo.
use clap::{Parser, Subcommand};
use server::config::{Config, Env};
use server::managed_pg::ManagedPostgres;
use server::{db, seed};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "millwright",
    version,
    about = "Millwright ERP server",
    long_about = "Millwright ERP server.\n\n\
Without DATABASE_URL it runs its own PostgreSQL cluster in MILLWRIGHT_DATA_DIR (default .data/postgres).\n\
Environment: DATABASE_URL, MILLWRIGHT_ADDR (127.0.0.1:3000), MILLWRIGHT_DATA_DIR, MILLWRIGHT_FILES_DIR (.data/files), MILLWRIGHT_ENV (development|production|test),\n\
MILLWRIGHT_LOG (info), MILLWRIGHT_LOG_FORMAT (json|pretty), MILLWRIGHT_DB_POOL_MAX (16), MILLWRIGHT_DB_ACQUIRE_TIMEOUT_SECS (3),\n\
MILLWRIGHT_SESSION_IDLE_MINUTES (120), MILLWRIGHT_SESSION_ABSOLUTE_HOURS (12), MILLWRIGHT_PUBLIC_URL, MILLWRIGHT_SECURE_COOKIES,\n\
MILLWRIGHT_LOGIN_RATE_PER_MINUTE (20), MILLWRIGHT_PG_USER (postgres)."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, seed the demo into an empty database (not in production) and serve HTTP (the default)
    Serve,
    /// Apply database migrations and exit
    Migrate,
    /// Refresh the planner's statistics and the visibility maps (VACUUM ANALYZE), e.g. after a bulk import
    Analyze,
    /// Create the demo tenants and users (idempotent; refused when MILLWRIGHT_ENV=production)
    SeedDemo,
    /// Seed benchmark data: more tenants and many requisitions (refused when MILLWRIGHT_ENV=production)
    SeedBench {
        /// requisitions in tenant `demo`
        #[arg(long, default_value_t = 100_000)]
        requisitions: u32,
        /// further tenants shaped like `demo`
        #[arg(long, default_value_t = 20)]
        tenants: u32,
        /// requisitions in each further tenant
        #[arg(long, default_value_t = 5_000)]
        per_tenant: u32,
    },
    /// Tenants: create one (as the public sign-up does, for operators who keep it closed) or list them
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant with its first administrator; prints the link that verifies their e-mail
    /// address (also sent through the outbox). The password comes from MILLWRIGHT_ADMIN_PASSWORD
    /// when --admin-password is not given (keeping it out of the shell's history).
    Create(Box<CreateTenant>),
    /// List every tenant: code, name, currency, users, created, e-mail verified
    List,
}

#[derive(clap::Args)]
struct CreateTenant {
    /// the company code users type at sign-in
    #[arg(long)]
    slug: String,
    /// the company's name
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "INR")]
    currency: String,
    #[arg(long, default_value = "Asia/Kolkata")]
    time_zone: String,
    /// en, hi, bn, te or ar
    #[arg(long, default_value = "en")]
    language: String,
    #[arg(long)]
    admin_username: String,
    #[arg(long)]
    admin_name: String,
    #[arg(long)]
    admin_email: String,
    #[arg(long)]
    admin_password: Option<String>,
}

/// The database URL and, when we manage it, the cluster (stopped when dropped).
async fn database(cfg: &Config) -> Result<(String, Option<ManagedPostgres>), String> {
    if let Some(url) = &cfg.database_url {
        return Ok((url.expose().clone(), None));
    }
    let (pg, url) = ManagedPostgres::start(&cfg.data_dir, &cfg.pg_os_user)?;
    db::ensure_database(&pg.admin_url(), "millwright")
        .await
        .map_err(|e| format!("creating the database: {e}"))?;
    Ok((url, Some(pg)))
}

async fn run(cli: Cli, cfg: Config) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Serve);
    if matches!(command, Command::SeedDemo | Command::SeedBench { .. })
        && cfg.env == Env::Production
    {
        return Err(
            "refusing to seed demo users with a published password when MILLWRIGHT_ENV=production"
                .into(),
        );
    }
    let (url, mut managed) = database(&cfg).await?;
    let owner = db::owner_pool(&url, &cfg)
        .await
        .map_err(|e| format!("connecting to PostgreSQL: {e}"))?;
    db::migrate(&owner)
        .await
        .map_err(|e| format!("migrating: {e}"))?;
    let opened = db::open_books(&owner).await?;
    if opened > 0 {
        tracing::info!(opened, "books opened for tenants that kept none");
    }
    match command {
        Command::Migrate => {
            tracing::info!("migrations applied");
        }
        Command::Analyze => {
            sqlx::query!("vacuum analyze")
                .execute(&owner)
                .await
                .map_err(|e| format!("vacuum analyze: {e}"))?;
            tracing::info!("statistics refreshed");
        }
        Command::SeedDemo => {
            let (created, history) =
                seed::seed_demo_with_history(&owner, |pool| server::state(pool, &cfg))
                    .await
                    .map_err(|e| format!("seeding: {e}"))?;
            tracing::info!(?created, ?history, "demo seeded");
        }
        Command::SeedBench {
            requisitions,
            tenants,
            per_tenant,
        } => {
            seed::seed_bench(&owner, requisitions, tenants, per_tenant)
                .await
                .map_err(|e| format!("seeding: {e}"))?;
            tracing::info!("benchmark data seeded");
        }
        Command::Tenant { command } => tenant_command(command, &url, &cfg, &owner).await?,
        Command::Serve => {
            let tenants: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from tenants"#)
                .fetch_one(&owner)
                .await
                .map_err(|e| format!("reading tenants: {e}"))?;
            if tenants == 0 && cfg.env != Env::Production {
                // a first run shows three months of the demo's life; the tests start from the
                // bare demo (they count what they make)
                if cfg.env == Env::Development {
                    let (created, history) =
                        seed::seed_demo_with_history(&owner, |pool| server::state(pool, &cfg))
                            .await
                            .map_err(|e| format!("seeding: {e}"))?;
                    tracing::info!(?created, ?history, "empty database: demo seeded");
                } else {
                    let created = seed::seed_demo(&owner)
                        .await
                        .map_err(|e| format!("seeding: {e}"))?;
                    tracing::info!(?created, "empty database: demo seeded");
                }
            }
            owner.close().await;
            let pool = db::app_pool(&url, &cfg).map_err(|e| format!("database URL: {e}"))?;
            let state = server::state(pool.clone(), &cfg);
            let search_pool = state.search_pool.clone();
            server::spawn_notification_listener(&state);
            server::spawn_session_sweeper(pool.clone());
            // before anything is answered: no audit row lacks its month's partition
            match app::platform::audit_log::prepare(&pool).await {
                Ok(made) => tracing::info!(made, "audit log partitions ready"),
                Err(e) => tracing::warn!(error = %e, "audit log partitions not prepared"),
            }
            server::spawn_workers(&state);
            app::platform::outbox::set_public_url(
                cfg.public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}", cfg.addr)),
            );
            match &cfg.smtp_url {
                Some(url) => {
                    let mailer = server::mailer::Mailer::new(url.expose(), &cfg.mail_from)?;
                    server::mailer::spawn(pool.clone(), mailer, std::time::Duration::from_secs(2));
                    tracing::info!("mail worker started");
                }
                None => tracing::info!(
                    "MILLWRIGHT_SMTP_URL is not set: e-mails stay queued in the outbox"
                ),
            }
            let app = server::router(state, &cfg);
            let listener = tokio::net::TcpListener::bind(cfg.addr)
                .await
                .map_err(|e| format!("binding {}: {e}", cfg.addr))?;
            tracing::info!(addr = %cfg.addr, "Millwright is listening on http://{}", cfg.addr);
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(server::shutdown_signal())
            .await
            .map_err(|e| format!("serving: {e}"))?;
            pool.close().await;
            search_pool.close().await;
            if let Some(pg) = managed.as_mut() {
                pg.stop();
            }
            return Ok(());
        }
    }
    owner.close().await;
    if let Some(pg) = managed.as_mut() {
        pg.stop();
    }
    Ok(())
}

/// `millwright tenant …`: creation through the application's own role and service (row-level
/// security holds as for a sign-up); the list on the owner's connection, which sees every tenant.
async fn tenant_command(
    command: TenantCommand,
    url: &str,
    cfg: &Config,
    owner: &sqlx::PgPool,
) -> Result<(), String> {
    use app::platform::onboarding::{self, FirstAdmin, Origin, SignUp};
    match command {
        TenantCommand::Create(args) => {
            let CreateTenant {
                slug,
                name,
                currency,
                time_zone,
                language,
                admin_username,
                admin_name,
                admin_email,
                admin_password,
            } = *args;
            let password = admin_password
                .or_else(|| std::env::var("MILLWRIGHT_ADMIN_PASSWORD").ok())
                .ok_or("give --admin-password or set MILLWRIGHT_ADMIN_PASSWORD")?;
            app::shell::install();
            app::platform::outbox::set_public_url(
                cfg.public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}", cfg.addr)),
            );
            let pool = db::app_pool(url, cfg).map_err(|e| format!("database URL: {e}"))?;
            let ctx = app::platform::context::RequestCtx {
                principal: None,
                locale: Default::default(),
                ip: None,
                user_agent: Some("millwright tenant create".into()),
                request_id: uuid::Uuid::new_v4().to_string(),
            };
            let input = SignUp {
                company_name: name,
                slug,
                currency,
                time_zone,
                default_language: language,
                admin: FirstAdmin {
                    username: admin_username,
                    display_name: admin_name,
                    email: admin_email,
                    password,
                },
            };
            let created = onboarding::create_tenant(&pool, &ctx, input, Origin::CommandLine)
                .await
                .map_err(|e| match &e {
                    app::error::AppError::Validation(fields) => format!(
                        "refused: {}",
                        fields
                            .iter()
                            .map(|(k, v)| format!("{k}: {}", v.message(Default::default())))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    other => format!("refused: {}", other.message(Default::default())),
                })?;
            pool.close().await;
            println!("tenant {} created", created.slug);
            println!("e-mail verification link: {}", created.verify_url);
        }
        TenantCommand::List => {
            let tenants = onboarding::list_tenants(owner)
                .await
                .map_err(|e| format!("listing tenants: {e}"))?;
            println!(
                "{:<32} {:<8} {:>6}  {:<10} {:<8} name",
                "code", "currency", "users", "created", "verified"
            );
            for t in tenants {
                println!(
                    "{:<32} {:<8} {:>6}  {:<10} {:<8} {}",
                    t.slug,
                    t.currency,
                    t.users,
                    t.created_at.format("%Y-%m-%d"),
                    if t.verified { "yes" } else { "no" },
                    t.name
                );
            }
        }
    }
    Ok(())
}

/// Keeps freed memory from staying resident: glibc otherwise raises its mmap threshold after the
/// first large free (a 19 MB argon2 block at login) and keeps such blocks in per-thread arenas, one
/// per blocking thread up to 8 per core — hundreds of MB after a burst of logins and imports. Large
/// blocks are mapped and returned at once, and two arenas serve all threads.
fn bound_allocator_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only adjusts allocator parameters; called once before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() -> ExitCode {
    bound_allocator_memory();
    let cli = Cli::parse();
    let cfg = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("millwright: {e}");
            return ExitCode::from(2);
        }
    };
    server::init_tracing(&cfg);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("millwright: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, cfg)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "millwright failed");
            eprintln!("millwright: {e}");
            ExitCode::FAILURE
        }
    }
}
