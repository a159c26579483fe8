const BASE = "http://127.0.0.1:3310";
const r = await fetch(BASE + "/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json", origin: BASE }, body: JSON.stringify({ tenant: "saif", username: "admin", password: "Millwright-demo-1" }) });
const cookie = r.headers.get("set-cookie").split(";")[0];
const html = await (await fetch(BASE + "/inventory/items/new", { headers: { cookie } })).text();
const i = html.indexOf("<main");
console.log(html.slice(i, i + 2500));
