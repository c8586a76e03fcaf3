// The page: header, ETA, operations (live), readiness, hierarchy, plan,
// rehearsal, clients, evidence, runbook. Style and script are constants
// below; every value from the inputs is escaped with esc().
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "model/db_growth.h"
#include "plan/instructions.h"
#include "plan/render.h"
#include "plan/schedule.h"
#include "web/html.h"
#include "web/report.h"
#include "web/svg.h"

namespace smsup::web {

namespace {

using nlohmann::json;

// A section out of view is not laid out (content-visibility: auto): a big
// campaign's tree and growth table below the fold halved the time to
// interactive of a 2,000-site page; printing lays out everything.
constexpr std::string_view kStyle = R"CSS(
:root{--ready:#2e7d32;--blocked:#c62828;--upgrading:#1565c0;--waiting:#ef6c00;--verified:#00695c;--failed:#b71c1c;--unknown:#757575}
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#263238;color:#fff;padding:12px 20px}header h1{margin:0;font-size:20px}
header .meta{opacity:.8;font-size:12px}
nav{position:sticky;top:0;background:#eceff1;padding:6px 20px;border-bottom:1px solid #cfd8dc;z-index:2}
nav a{margin-right:14px;color:#263238}
main{padding:0 20px 40px}section{margin:18px 0;padding:12px 16px;background:#fff;border:1px solid #e0e0e0;border-radius:6px}
section{content-visibility:auto;contain-intrinsic-size:auto 600px}
h2{margin:0 0 8px;font-size:17px}h3{font-size:15px;margin:12px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num,th.num{text-align:right}
.chip{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;margin-right:4px}
.sev-blocker{background:var(--blocked)}.sev-action{background:var(--waiting)}.sev-warning{background:#f9a825;color:#000}.sev-info{background:#78909c}
.verdict-ready{color:var(--ready)}.verdict-not{color:var(--blocked)}
.scroll{overflow:auto;max-height:70vh;border:1px solid #eee}
#tree .edges path{fill:none;stroke:#90a4ae}#tree text{text-anchor:middle;fill:#fff;font-size:12px;font-weight:600}
#tree g.site{cursor:pointer}#tree rect.secondary{stroke-dasharray:4 2;stroke:#fff;stroke-width:1.5}
.st-ready rect{fill:var(--ready)}.st-blocked rect{fill:var(--blocked)}.st-upgrading rect{fill:var(--upgrading)}
.st-waiting rect{fill:var(--waiting)}.st-verified rect{fill:var(--verified)}.st-failed rect{fill:var(--failed)}.st-unknown rect{fill:var(--unknown)}
.legend span{display:inline-block;margin-right:10px}.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:4px;vertical-align:-1px}
#gantt .axis line{stroke:#eee}#gantt .axis text,#curve .axis text{font-size:10px;fill:#666}
#gantt text.label{font-size:10px;text-anchor:end;fill:#333}
#gantt rect.plan{fill:#90caf9}#gantt rect.crit{fill:#e53935}#gantt rect.manual{fill:#ffb74d;stroke:#e65100;stroke-dasharray:2 1}
#gantt rect.crit.manual{fill:#e53935;stroke:#e65100}
#gantt rect.actual{fill:#455a64}#gantt rect.s-failed{fill:var(--failed)}#gantt rect.s-running{fill:var(--upgrading)}#gantt rect.s-waiting{fill:var(--waiting)}
#curve .axis line{stroke:#eee}#curve polyline{fill:none;stroke:#1565c0;stroke-width:2}#curve circle.pt{fill:#1565c0}
.ops-step{border-left:4px solid #ccc;padding:4px 10px;margin:6px 0;background:#fcfcfc}
.ops-step.waiting{border-color:var(--waiting)}.ops-step.failed{border-color:var(--failed)}.ops-step.running{border-color:var(--upgrading)}
pre{background:#263238;color:#eceff1;padding:8px;overflow:auto;max-height:240px;font-size:12px}
.controls input[type=text]{width:16em}.controls button{margin-left:4px}
#msg{font-weight:600}.ok{color:var(--ready)}.bad{color:var(--blocked)}
.hidden{display:none}.muted{color:#777}
div.site-findings{margin:2px 0;content-visibility:auto;contain-intrinsic-size:auto 22px}div.site-findings>.fh{cursor:pointer;padding:2px 0}
div.site-findings>.fh::before{content:"\25B8  ";color:#777}div.site-findings.open>.fh::before{content:"\25BE  "}
#systems h4{margin:6px 0}
#runbook pre{background:#fff;color:#000;max-height:none;border:1px solid #eee}
@media print{
 nav,#filters,.controls,button,.no-print{display:none!important}
 body{background:#fff}section{border:none;padding:0;break-inside:auto;content-visibility:visible}
 .site-findings{break-inside:avoid;content-visibility:visible!important}.scroll{max-height:none;overflow:visible;border:none}
 #runbook{break-before:page}#runbook pre{white-space:pre-wrap;max-height:none;overflow:visible}
}
)CSS";

// Drawing the Gantt rows, findings tables and site-system lists from the
// page's data blocks, filtering, and, when served, polling and steering.
constexpr std::string_view kScript = R"JS(
(function(){
'use strict';
function $(s,r){return (r||document).querySelector(s);}
function $$(s,r){return Array.prototype.slice.call((r||document).querySelectorAll(s));}
// The data blocks (script type=application/json), parsed once per element:
// the live page replaces them when the journal changes.
function data(id){
  var s=document.getElementById(id);if(!s)return null;
  if(!s._d)s._d=JSON.parse(s.textContent);
  return s._d;
}
// Elements are made with createElement and textContent: no value from the
// data is ever parsed as markup.
function mk(tag,attrs,text,ns){
  var e=ns?document.createElementNS(ns,tag):document.createElement(tag);
  for(var k in attrs)e.setAttribute(k,attrs[k]);
  if(text!=null)e.textContent=String(text);
  return e;
}
function row(cells,attrs){var tr=mk('tr',attrs);cells.forEach(function(c){tr.appendChild(c.nodeType?c:mk('td',{},c));});return tr;}
function head(names){return row(names.map(function(n){return mk('th',{},n);}));}
// The Gantt chart: all rows of a small plan; of a big one the rows in view
// of its scrolling box (and all of them for printing).
var SVG='http://www.w3.org/2000/svg';
function drawGantt(all){
  var svg=document.getElementById('gantt'),d=data('gantt-data');if(!svg||!d)return;
  var g=$('g.rows',svg),rows=d.rows,n=rows.length,lo=0,hi=n;
  if(!all&&n>d.all){
    // Before the first scroll the window is the top: reading scrollTop then
    // would lay out the whole page before it is shown.
    var box=svg.parentNode,top=box._moved?box.scrollTop:0,h=box._moved?box.clientHeight:window.innerHeight;
    lo=Math.max(0,Math.floor((top-28)/d.row)-50);hi=Math.min(n,Math.ceil((top+h-28)/d.row)+50);
  }
  if(g._lo===lo&&g._hi===hi)return;
  g._lo=lo;g._hi=hi;
  var f=document.createDocumentFragment();
  for(var i=lo;i<hi;i++){
    var r=rows[i],y=28+d.row*i,crit=r[4]&1,man=r[4]&2;
    var gr=mk('g',{'class':'row','data-step':r[0],'data-state':r[1]},null,SVG);
    gr.appendChild(mk('text',{'class':'label',x:d.label_w-6,y:y+10},r[0]+(man?' (manual)':''),SVG));
    var b=mk('rect',{'class':'bar plan'+(crit?' crit':'')+(man?' manual':''),x:r[2],y:y+1,width:r[3],height:7},null,SVG);
    b.appendChild(mk('title',{},r[0]+' \u2014 planned +'+r[5]+' for '+r[6]+(man?', manual':'')+(crit?', on the critical path':''),SVG));
    gr.appendChild(b);
    if(r.length>7){
      var a=mk('rect',{'class':'bar actual s-'+r[9],x:r[7],y:y+9,width:r[8],height:4},null,SVG);
      a.appendChild(mk('title',{},r[0]+' \u2014 '+r[9]+', '+r[10],SVG));
      gr.appendChild(a);
    }
    f.appendChild(gr);
  }
  g.textContent='';g.appendChild(f);
}
var pending=false;
document.addEventListener('scroll',function(e){
  if(pending||!e.target.querySelector||!e.target.querySelector('#gantt'))return;
  pending=true;e.target._moved=true;requestAnimationFrame(function(){pending=false;drawGantt(false);});
},true);
// Findings: one line per site (div.site-findings); a click opens the
// site's table, drawn from the data (parsed on first use). The filter works
// on the data and draws the open tables again.
var F;
function fdata(){if(F===undefined)F=data('findings-data');return F;}
function ftext(){var t=($('#f-text')||{}).value||'';return t.toLowerCase();}
function fsev(){return ($('#f-sev')||{}).value||'';}
function fmatch(g,t,sev){
  if(sev&&g[0]!==sev)return false;
  if(!t)return true;
  if(g._h===undefined)g._h=[g[0],g[1],g[2],g[3],g[4],F.texts[g[5]],F.texts[g[6]]].join(' ').toLowerCase();
  return g._h.indexOf(t)>=0;
}
function drawFindings(div){
  if(!fdata())return;
  var site=F.sites[+div.dataset.i],t=ftext(),sev=fsev();
  var old=$('table',div);if(old)old.remove();
  div.classList.add('open');
  var tb=mk('table');
  tb.appendChild(head(['severity','rule','count','on','finding','remedy','checklist']));
  site[1].forEach(function(g){
    if(!fmatch(g,t,sev))return;
    var chip=mk('td');chip.appendChild(mk('span',{'class':'chip sev-'+g[0]},g[0]));
    tb.appendChild(row([chip,g[1],mk('td',{'class':'num'},g[2]),g[3],g[4],F.texts[g[5]],F.texts[g[6]]],
                       {'class':'finding','data-sev':g[0],'data-site':site[0],'data-rule':g[1]}));
  });
  div.appendChild(tb);
}
function closeFindings(div){div.classList.remove('open');var t=$('table',div);if(t)t.remove();}
function filter(){
  if(!fdata())return;
  var t=ftext(),sev=fsev(),shown=0;
  $$('div.site-findings').forEach(function(div){
    var groups=F.sites[+div.dataset.i][1],k=0;
    groups.forEach(function(g){if(fmatch(g,t,sev))k++;});
    shown+=k;
    div.classList.toggle('hidden',k===0);
    var fs=$('.f-shown',div);
    if(!fs&&(t||sev)){fs=mk('span',{'class':'f-shown muted'});$('.fh',div).appendChild(fs);}
    if(fs)fs.textContent=(t||sev)?' \u2014 '+k+' of '+groups.length+' shown':'';
    if(div.classList.contains('open'))drawFindings(div);
  });
  var c=$('#f-count');if(c)c.textContent=shown+' shown';
}
function openAllFindings(){$$('div.site-findings:not(.open)').forEach(drawFindings);}
var fl=$('#findings');
if(fl&&fl.dataset.open==='1')openAllFindings();
document.addEventListener('input',function(e){if(e.target.closest&&e.target.closest('#filters'))filter();});
document.addEventListener('change',function(e){if(e.target.closest&&e.target.closest('#filters'))filter();});
// Site systems: the list of the site clicked in the tree, drawn from the data.
function showSystems(code){
  var lists=data('systems-data'),p=$('#systems');if(!lists||!p)return;
  var s=null;for(var i=0;i<lists.length;i++)if(lists[i][0]===code){s=lists[i];break;}
  if(!s)return;
  p.textContent='';p.dataset.site=code;
  p.appendChild(mk('h4',{},s[0]+' \u2014 '+s[1]+' ('+s[2].length+' system(s))'));
  var tb=mk('table');tb.appendChild(head(['host','roles','OS']));
  s[2].forEach(function(x){tb.appendChild(row(x));});
  p.appendChild(tb);
}
window.addEventListener('beforeprint',function(){drawGantt(true);openAllFindings();});
window.addEventListener('afterprint',function(){drawGantt(false);});
function activate(e){
  var g=e.target.closest&&e.target.closest('#tree g.site');
  if(g){showSystems(g.getAttribute('data-site'));var p=$('#systems');if(p)p.scrollIntoView({block:'nearest'});}
  var h=e.target.closest&&e.target.closest('div.site-findings > .fh');
  if(h){var d=h.parentNode;if(d.classList.contains('open'))closeFindings(d);else drawFindings(d);}
}
document.addEventListener('click',function(e){
  activate(e);
  var b=e.target.closest&&e.target.closest('#runbook-toggle');
  if(b){var r=$('#runbook pre');if(r)r.classList.toggle('hidden');}
});
document.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' ')activate(e);});
drawGantt(false);
var body=document.body;
if(body.dataset.live!=='1')return;
var version=body.dataset.version||'';
var busy=false;
function msg(text,ok){var m=$('#msg');if(m){m.textContent=text;m.className=ok?'ok':'bad';}}
function refresh(){
  if(busy)return;busy=true;
  fetch('api/status',{credentials:'same-origin',cache:'no-store'}).then(function(r){
    if(!r.ok)throw new Error('status '+r.status);return r.json();
  }).then(function(s){
    var v=String(s.version);
    if(v===version){busy=false;return;}
    return fetch('live',{credentials:'same-origin',cache:'no-store'}).then(function(r){return r.text();}).then(function(h){
      var keep={};$$('#live input[type=text]').forEach(function(i){if(i.id)keep[i.id]=i.value;});
      var a=document.activeElement,focus=a&&a.id&&$('#live').contains(a)?[a.id,a.selectionStart,a.selectionEnd]:null;
      var box=$('#gantt')&&$('#gantt').parentNode,top=box?box.scrollTop:0;
      var shownSite=($('#systems')||{dataset:{}}).dataset.site;
      $('#live').innerHTML=h;version=v;body.dataset.version=v;
      Object.keys(keep).forEach(function(k){var i=document.getElementById(k);if(i)i.value=keep[k];});
      if(focus){var f=document.getElementById(focus[0]);if(f){f.focus();try{f.setSelectionRange(focus[1],focus[2]);}catch(e){}}}
      if(shownSite)showSystems(shownSite);
      box=$('#gantt')&&$('#gantt').parentNode;if(box&&top){box.scrollTop=top;box._moved=true;}
      drawGantt(false);
      busy=false;
    });
  }).catch(function(e){busy=false;msg('cannot reach smsup serve: '+e.message,false);});
}
setInterval(refresh,1000);
document.addEventListener('submit',function(e){
  var f=e.target;if(!f.classList.contains('steer'))return;
  e.preventDefault();
  var who=($('#who')||{}).value||'';
  var action=(e.submitter&&e.submitter.value)||f.dataset.action;
  var note=f.querySelector('input[name=note]');
  var body={step:f.dataset.step,who:who,note:note?note.value:''};
  fetch('api/'+action,{method:'POST',credentials:'same-origin',headers:{'Content-Type':'application/json'},body:JSON.stringify(body)})
   .then(function(r){return r.json().then(function(j){return [r.ok,j];});})
   .then(function(a){msg(a[1].message||a[1].error||'',a[0]);version='';refresh();})
   .catch(function(err){msg(err.message,false);});
});
})();
)JS";

constexpr size_t kRunbookSteps = 3000;
// Up to this many groups of findings, every site's table is open at load.
constexpr size_t kFindingsOpen = 400;

constexpr std::array<std::string_view, 7> kStates = {"ready",    "blocked", "upgrading", "waiting",
                                                     "verified", "failed",  "unknown"};

void legend(std::string& o) {
  o += "<div class=\"legend\">";
  for (auto s : kStates) put(o, "<span><i class=\"st-{0}\" style=\"background:var(--{0})\"></i>{0}</span>", s);
  o += "</div>";
}

void section_header(std::string& o, const Inputs& in, const PageOptions& opt) {
  put(o, "<header><h1>{}</h1><div class=\"meta\">", esc(in.title));
  put(o, "{} {}", opt.live ? "Live view, as of" : "Report written", esc(time_text(in.now)));
  if (!in.sources.empty()) {
    o += " · from ";
    for (size_t i = 0; i < in.sources.size(); ++i) put(o, "{}{}", i ? ", " : "", esc(in.sources[i]));
  }
  o += "</div></header><nav>";
  if (in.eta || opt.live) o += "<a href=\"#eta\">ETA</a>";
  if (opt.live) o += "<a href=\"#ops\">Operations</a>";
  if (in.readiness) o += "<a href=\"#readiness\">Readiness</a>";
  if (in.hierarchy) o += "<a href=\"#hierarchy\">Hierarchy</a>";
  if (in.plan) o += "<a href=\"#plan\">Plan</a>";
  if (in.rehearsal) o += "<a href=\"#rehearsal\">Rehearsal</a>";
  if (in.rehearsal || in.client_days) o += "<a href=\"#clients\">Clients</a>";
  if (in.evidence) o += "<a href=\"#evidence\">Evidence</a>";
  if (in.plan) o += "<a href=\"#runbook\">Runbook</a>";
  o += "</nav>";
}

void section_eta(std::string& o, const Inputs& in) {
  if (!in.eta) return;
  const auto& e = *in.eta;
  o += "<section id=\"eta\"><h2>ETA</h2>";
  if (e.complete) {
    o += "<p class=\"ok\">Every step succeeded: the campaign is complete.</p></section>";
    return;
  }
  put(o, "<p>The campaign ends <b>{}</b> (in {}), from the {} corrected by what this journal observed.",
      esc(time_text(e.finish)), esc(minutes_text(e.remaining_min)), esc(e.base));
  if (e.failed > 0) put(o, " It assumes the {} failed step(s) are retried now.", e.failed);
  o += "</p>";
  if (!e.kinds.empty()) {
    o += "<table class=\"kinds\"><tr><th>step kind</th><th class=num>observed</th><th class=num>planned</th>"
         "<th class=num>actual</th><th class=num>factor</th></tr>";
    for (const auto& k : e.kinds) {
      put(o,
          "<tr><td>{}</td><td class=num>{}</td><td class=num>{:.1f} min</td><td class=num>{:.1f} min</td><td "
          "class=num>{:.2f}</td></tr>",
          esc(k.kind), k.observed, k.planned_min, k.actual_min, k.factor);
    }
    o += "</table>";
  }
  o += "<h3>Waves</h3><table class=\"waves\"><tr><th>wave</th><th class=num>done</th><th>ends</th></tr>";
  for (const auto& w : e.waves) {
    put(o, "<tr><td>{}</td><td class=num>{}/{}</td><td>{}</td></tr>", esc(w.name), w.done, w.steps,
        w.done == w.steps ? "done" : esc(time_text(w.finish)));
  }
  o += "</table><details><summary>Per site</summary><table class=\"site-eta\"><tr><th>site</th><th "
       "class=num>done</th><th>ends</th></tr>";
  for (const auto& s : e.sites) {
    put(o, "<tr><td>{}</td><td class=num>{}/{}</td><td>{}</td></tr>", esc(s.name), s.done, s.steps,
        s.done == s.steps ? "done" : esc(time_text(s.finish)));
  }
  o += "</table></details></section>";
}

void section_ops(std::string& o, const Inputs& in, const PageOptions& opt) {
  if (!in.journal) return;
  o += "<section id=\"ops\"><h2>Operations</h2>";
  std::unordered_map<std::string_view, const plan::Step*> plan_steps;
  if (in.plan) {
    for (const auto& s : in.plan->steps) plan_steps.emplace(s.id, &s);
  }
  int running = 0, waiting = 0, failed = 0;
  std::string r, w, f;
  for (const auto& s : *in.journal) {
    std::string id = esc(s.id);
    if (s.state == run::State::running) {
      ++running;
      put(r, "<div class=\"ops-step running\" data-step=\"{}\"><b>{}</b> on {} — running for {}</div>", id, id,
          s.host.empty() ? "-" : esc(s.host), esc(minutes_text((in.now - s.started) / 60.0)));
    } else if (s.state == run::State::waiting) {
      ++waiting;
      put(w, "<div class=\"ops-step waiting\" data-step=\"{}\"><b>{}</b> {} — waiting for a person{}", id, id,
          esc(s.title), s.started > 0 ? " since " + esc(time_text(s.started)) : std::string());
      auto it = plan_steps.find(s.id);
      if (it != plan_steps.end()) {
        auto ins = plan::instructions_for(*it->second);
        if (!ins.todo.empty()) {
          w += "<ol>";
          for (const auto& t : ins.todo) put(w, "<li>{}</li>", esc(t));
          w += "</ol>";
        }
        if (!ins.check.empty()) {
          w += "<div class=muted>Check:</div><ul>";
          for (const auto& t : ins.check) put(w, "<li>{}</li>", esc(t));
          w += "</ul>";
        }
      }
      if (opt.controls) {
        put(w,
            "<form class=\"steer controls\" data-step=\"{}\" data-action=\"confirm\"><input type=text name=note "
            "id=\"note-{}\" placeholder=\"note (what was done)\"><button type=submit name=action value=confirm "
            "class=\"confirm\">Confirm done</button><button type=submit name=action value=fail class=\"fail\">Mark "
            "failed</button></form>",
            id, id);
      }
      w += "</div>";
    } else if (s.state == run::State::failed) {
      ++failed;
      put(f, "<div class=\"ops-step failed\" data-step=\"{}\"><b>{}</b> {} — failed ({} attempt(s)): {}", id, id,
          esc(s.title), s.attempts, esc(s.message));
      if (!s.output_tail.empty()) {
        std::string_view tail = s.output_tail;
        if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
        put(f, "<pre>{}</pre>", esc(tail));
      }
      if (opt.controls) {
        put(f,
            "<form class=\"steer controls\" data-step=\"{}\" data-action=\"retry\"><button type=submit name=action "
            "value=retry class=\"retry\">Retry</button></form>",
            id);
      }
      f += "</div>";
    }
  }
  put(o, "<h3>Running ({})</h3>{}", running, running ? r : "<p class=muted>nothing running</p>");
  put(o, "<h3>Waiting for a person ({})</h3>{}", waiting, waiting ? w : "<p class=muted>nobody is needed</p>");
  put(o, "<h3>Failed ({})</h3>{}", failed, failed ? f : "<p class=muted>no failure</p>");
  o += "</section>";
}

void section_readiness(std::string& o, const Inputs& in) {
  if (!in.readiness || !in.hierarchy) return;
  const auto& r = *in.readiness;
  const auto& h = *in.hierarchy;
  o += "<section id=\"readiness\"><h2>Readiness</h2>";
  put(o, "<p class=\"verdict {}\"><b>{}</b>", r.ready() ? "verdict-ready" : "verdict-not",
      r.ready() ? "READY" : "NOT READY");
  if (!in.as_of.empty()) put(o, " <span class=muted>(as of {})</span>", esc(in.as_of));
  o += "</p><p>";
  for (auto g : {rules::Gravity::blocker, rules::Gravity::action, rules::Gravity::warning, rules::Gravity::info}) {
    put(o, "<span class=\"chip sev-{0}\" data-count=\"{1}\">{1} {0}</span>", rules::to_string(g), r.count(g));
  }
  o += "</p><div id=\"filters\" class=\"no-print\">Filter: <input type=text id=\"f-text\" placeholder=\"site, rule, "
       "host, text\"> "
       "<select id=\"f-sev\"><option value=\"\">any severity</option><option>blocker</option><option>action</option>"
       "<option>warning</option><option>info</option></select> <span id=\"f-count\" class=muted></span></div>";
  // Grouped by site (report order), then rule: one row per (site, rule).
  struct Group {
    std::string site;
    std::string_view rule;
    rules::Gravity sev;
    int count = 0;
    std::vector<std::string> objects;
    std::string message, remedy;
    std::string_view reference;
  };
  std::vector<std::string> site_order;
  std::map<std::string, std::vector<Group>> by_site;
  std::map<std::pair<std::string, std::string_view>, std::pair<std::string, size_t>> index;
  for (const auto& f : r.findings) {
    std::string site = f.site >= 0 ? h.sites[static_cast<size_t>(f.site)].code : "*";
    auto key = std::make_pair(site, f.rule);
    auto it = index.find(key);
    if (it == index.end()) {
      if (!by_site.count(site)) site_order.push_back(site);
      auto& v = by_site[site];
      it = index.emplace(key, std::make_pair(site, v.size())).first;
      v.push_back({site, f.rule, f.severity, 0, {}, f.message, f.remedy, f.reference});
    }
    auto& g = by_site[site][it->second.second];
    ++g.count;
    if (f.severity < g.sev) g.sev = f.severity;
    if (g.objects.size() < 5) g.objects.push_back(f.object);
  }
  // Each site is one line (div.site-findings) whose table the page's script
  // draws from data (script#findings-data) when it is clicked, every site's
  // when there are few groups (kFindingsOpen) and for printing; the filter
  // works on the data. 11,843 groups as table rows were most of the layout
  // time of a 2,000-site page. Remedies and checklist sections repeat from site to
  // site: the data holds each text once ("texts") and the groups its index.
  json texts = json::array();
  std::unordered_map<std::string_view, size_t> text_index;
  auto text_id = [&](std::string_view t) {
    auto [it, added] = text_index.emplace(t, texts.size());
    if (added) texts.push_back(t);
    return it->second;
  };
  json sites = json::array();
  size_t groups = 0;
  std::string list;
  for (size_t k = 0; k < site_order.size(); ++k) {
    const auto& site = site_order[k];
    std::array<int, 4> by_sev{};
    json rows = json::array();
    for (const auto& g : by_site[site]) {
      ++by_sev[static_cast<size_t>(g.sev)];
      std::string objs;
      for (size_t i = 0; i < g.objects.size(); ++i) (objs += i ? ", " : "") += g.objects[i];
      if (g.count > static_cast<int>(g.objects.size()))
        put(objs, " and {} more", g.count - static_cast<int>(g.objects.size()));
      rows.push_back({rules::to_string(g.sev), g.rule, g.count, std::move(objs), g.message, text_id(g.remedy),
                      text_id(g.reference)});
    }
    groups += rows.size();
    std::string heading = site == "*" ? std::string("Hierarchy-wide") : "Site " + esc(site);
    put(list,
        "<div class=\"site-findings\" data-site=\"{}\" data-i=\"{}\"><div class=\"fh\" role=\"button\" "
        "tabindex=\"0\">{} — ",
        esc(site), k, heading);
    for (auto g : {rules::Gravity::blocker, rules::Gravity::action, rules::Gravity::warning, rules::Gravity::info}) {
      if (int c = by_sev[static_cast<size_t>(g)]) put(list, "{} {} ", c, rules::to_string(g));
    }
    put(list, "({} rule(s))</div></div>", rows.size());
    sites.push_back({site, std::move(rows)});
  }
  put(o, "<div id=\"findings\" data-open=\"{}\">{}</div>", groups <= kFindingsOpen ? 1 : 0, list);
  json data = {{"texts", std::move(texts)}, {"sites", std::move(sites)}};
  put_data(o, "findings-data", data.dump(-1, ' ', false, json::error_handler_t::replace));
  if (site_order.empty()) o += "<p>No finding.</p>";
  o += "</section>";
}

void section_hierarchy(std::string& o, const Inputs& in, const std::map<std::string, std::string>& states) {
  if (!in.hierarchy) return;
  const auto& h = *in.hierarchy;
  put(o, "<section id=\"hierarchy\"><h2>Hierarchy {} <span class=muted>({} sites)</span></h2>", esc(h.name),
      h.sites.size());
  legend(o);
  put(o, "<div class=\"scroll\">{}</div>", svg_tree(h, states));
  // The lists are data (script#systems-data): the page draws the list of
  // the site clicked in the tree. Two thousand lists in the page, even
  // closed, were a second of parsing and layout.
  o += "<h3>Site systems</h3><div id=\"systems\" class=\"no-print\"><p class=muted>Click a site in the tree to see "
       "its site systems.</p></div>";
  json lists = json::array();
  for (const auto& s : h.sites) {
    json list = json::array();
    for (const auto& sys : s.systems) {
      std::string roles;
      for (uint32_t bit = 1; bit <= static_cast<uint32_t>(Role::database_server); bit <<= 1) {
        if (sys.roles & bit) roles += (roles.empty() ? "" : ", ") + std::string(to_string(static_cast<Role>(bit)));
      }
      list.push_back({sys.host, std::move(roles), describe(sys.os)});
    }
    lists.push_back({s.code, s.name, std::move(list)});
  }
  put_data(o, "systems-data", lists.dump(-1, ' ', false, json::error_handler_t::replace));
  o += "</section>";
}

void section_plan(std::string& o, const Inputs& in) {
  if (!in.plan) return;
  const auto& p = *in.plan;
  auto sched = plan::schedule(p);
  int manual = 0;
  for (const auto& s : p.steps) manual += s.manual ? 1 : 0;
  put(o,
      "<section id=\"plan\"><h2>Plan <span class=muted>({} steps, {} manual, {} on the critical path; estimated "
      "{})</span></h2>",
      p.steps.size(), manual, sched.critical.size(), esc(minutes_text(sched.total_min)));
  o += "<div class=\"legend\"><span><i style=\"background:#90caf9\"></i>planned</span><span><i "
       "style=\"background:#e53935\"></i>critical path</span>"
       "<span><i style=\"background:#ffb74d\"></i>manual (dashed)</span>";
  if (in.journal) o += "<span><i style=\"background:#455a64\"></i>actual (journal)</span>";
  o += "</div>";
  put(o, "<div class=\"scroll\">{}</div></section>", svg_gantt(p, in.journal, in.now));
}

std::string jstr(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const auto& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

void section_rehearsal(std::string& o, const Inputs& in) {
  const json* r = in.rehearsal;
  if (!r || !r->is_object()) return;
  o += "<section id=\"rehearsal\"><h2>Rehearsal</h2>";
  bool ok = r->value("ok", false);
  put(o, "<p class=\"{}\"><b>{}</b> — {}, {}; {} failed, {} skipped; {} open problem(s); virtual duration {}</p>",
      ok ? "ok" : "bad", ok ? "The rehearsal went through" : "The rehearsal did not go through",
      r->value("fully_upgraded", false) ? "fully upgraded" : "NOT fully upgraded",
      r->value("nothing_lost", false) ? "nothing lost" : "files LOST", esc(jstr(*r, "failed_steps")),
      esc(jstr(*r, "skipped_steps")), esc(jstr(*r, "open_problems")), esc(jstr(*r, "total_virtual")));
  if (r->contains("sites") && (*r)["sites"].is_array()) {
    o += "<h3>Sites</h3><table "
         "class=\"reh-sites\"><tr><th>site</th><th>version</th><th>state</th><th>verified</th><th>failure</th></tr>";
    for (const auto& s : (*r)["sites"]) {
      put(o, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(jstr(s, "code")),
          esc(jstr(s, "version")), esc(jstr(s, "state")), s.value("verified", false) ? "yes" : "no",
          esc(jstr(s, "failure")));
    }
    o += "</table>";
  }
  o += "<h3>Faults and recovery</h3>";
  bool any = false;
  if (r->contains("steps") && (*r)["steps"].is_array()) {
    for (const auto& s : (*r)["steps"]) {
      std::string status = jstr(s, "status");
      std::string rec = jstr(s, "recovery");
      if (status == "ok" && rec.empty()) continue;
      if (status == "skipped" && rec.empty()) continue;
      if (!any) o += "<table class=\"faults\"><tr><th>step</th><th>result</th><th>message</th><th>recovery</th></tr>";
      any = true;
      put(o, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(jstr(s, "id")), esc(status),
          esc(jstr(s, "message")), esc(rec));
    }
  }
  o += any ? "</table>" : "<p class=muted>No step failed.</p>";
  if (r->contains("host_problems") && (*r)["host_problems"].is_array() && !(*r)["host_problems"].empty()) {
    o += "<h3>Problems still open on site systems</h3><ul>";
    for (const auto& p : (*r)["host_problems"])
      put(o, "<li>{}: {}</li>", esc(jstr(p, "host")), esc(jstr(p, "problem")));
    o += "</ul>";
  }
  o += "</section>";
}

void section_growth(std::string& o, const Inputs& in) {
  // Database growth: the model's estimate (or the dbtest measurement) from
  // the inventory, beside the twin's from the rehearsal.
  std::map<std::string, const json*> twin;
  if (in.rehearsal && in.rehearsal->contains("sites") && (*in.rehearsal)["sites"].is_array()) {
    for (const auto& s : (*in.rehearsal)["sites"]) {
      if (s.contains("database")) twin[jstr(s, "code")] = &s["database"];
    }
  }
  if (!in.hierarchy && twin.empty()) return;
  o += "<section id=\"growth\"><h2>Site databases: growth by the upgrade</h2><table><tr><th>site</th><th "
       "class=num>data MB</th>"
       "<th class=num>log MB</th><th class=num>free disk MB</th><th class=num>model / dbtest MB</th><th class=num>twin "
       "MB</th><th>twin's source</th></tr>";
  if (in.hierarchy) {
    for (const auto& s : in.hierarchy->sites) {
      if (!s.database) continue;
      auto g = db_growth(*s.database);
      auto t = twin.find(s.code);
      put(o, "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{} ({})</td>",
          esc(s.code), s.database->data_mb, s.database->log_mb, s.database->free_disk_mb, g.total_mb(),
          g.measured ? "dbtest" : "estimate");
      if (t != twin.end()) {
        put(o, "<td class=num>{}</td><td>{}</td></tr>", esc(jstr(*t->second, "growth_mb")),
            esc(jstr(*t->second, "growth_from")));
      } else {
        o += "<td class=num>-</td><td></td></tr>";
      }
    }
  } else {
    for (const auto& [code, d] : twin) {
      put(o,
          "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td "
          "class=num>{}</td><td>{}</td></tr>",
          esc(code), esc(jstr(*d, "data_mb")), esc(jstr(*d, "log_mb")), esc(jstr(*d, "free_disk_mb")),
          esc(jstr(*d, "estimate_mb")), esc(jstr(*d, "growth_mb")), esc(jstr(*d, "growth_from")));
    }
  }
  o += "</table></section>";
}

std::vector<std::array<int64_t, 2>> rehearsal_days(const json& r) {
  std::vector<std::array<int64_t, 2>> out;
  if (!r.contains("clients") || !r["clients"].is_object() || !r["clients"].contains("days")) return out;
  for (const auto& d : r["clients"]["days"]) {
    auto num = [&](const char* k) { return d.contains(k) && d[k].is_number() ? d[k].get<int64_t>() : 0; };
    int64_t total = num("sms20") + num("rtm") + num("sp1") + num("sp2");
    out.push_back({num("sp2"), total});
  }
  return out;
}

void section_clients(std::string& o, const Inputs& in) {
  std::vector<std::array<int64_t, 2>> days;
  std::string from;
  if (in.rehearsal) {
    days = rehearsal_days(*in.rehearsal);
    from = "the rehearsal";
  }
  if (days.empty() && in.client_days) {
    days = *in.client_days;
    from = "the client campaign forecast (smsup clients)";
  }
  if (days.empty()) return;
  put(o, "<section id=\"clients\"><h2>Client adoption <span class=muted>({} days, from {})</span></h2>", days.size(),
      esc(from));
  o += svg_curve(days);
  const auto& last = days.back();
  put(o, "<p>At the end of day {}: {} of {} clients at SP2.</p></section>", days.size(), last[0], last[1]);
}

void section_evidence(std::string& o, const Inputs& in) {
  if (!in.evidence) return;
  int verified = 0;
  for (const auto& e : *in.evidence) verified += e.verified ? 1 : 0;
  put(o, "<section id=\"evidence\"><h2>Completion evidence <span class=muted>({} of {} sites verified)</span></h2>",
      verified, in.evidence->size());
  for (const auto& e : *in.evidence) {
    put(o, "<div class=\"site-evidence\" data-site=\"{}\"><h3>{} on {} — {}</h3>", esc(e.site), esc(e.site),
        esc(e.server),
        e.verified     ? "<span class=ok>verified</span>"
        : e.logs_found ? "<span class=bad>not verified</span>"
                       : "<span class=muted>no logs</span>");
    if (e.logs_found) {
      o +=
          "<table><tr><th>#</th><th>milestone</th><th>state</th><th>file</th><th class=num>line</th><th>time</th></tr>";
      for (size_t i = 0; i < 6; ++i) {
        const auto& m = e.milestones[i];
        put(o, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=num>{}</td><td>{}</td></tr>", i + 1,
            esc(m.label), esc(m.state), esc(m.file), m.line ? std::to_string(m.line) : "", esc(m.time));
      }
      o += "</table>";
      for (const auto& n : e.notes) put(o, "<p class=muted>{}</p>", esc(n));
    }
    o += "</div>";
  }
  o += "</section>";
}

void section_runbook(std::string& o, const Inputs& in) {
  if (!in.plan) return;
  // A big campaign's runbook (thousands of steps) would be most of the
  // page; it is printed from the plan instead.
  if (in.plan->steps.size() > kRunbookSteps) {
    put(o,
        "<section id=\"runbook\"><h2>Runbook</h2><p>{} steps: too many to carry here. Print it with "
        "<code>smsup show PLAN --format md</code>.</p></section>",
        in.plan->steps.size());
    return;
  }
  std::string md = plan::render_markdown(*in.plan, plan::schedule(*in.plan));
  o += "<section id=\"runbook\"><h2>Runbook <button type=button id=\"runbook-toggle\" class=\"no-print\">show / "
       "hide</button></h2>";
  put(o, "<pre class=\"hidden\">{}</pre></section>", esc(md));
}

}  // namespace

std::map<std::string, std::string> site_states(const Inputs& in) {
  std::map<std::string, std::string> st;
  if (in.hierarchy) {
    for (const auto& s : in.hierarchy->sites) st[s.code] = "ready";
    if (in.readiness) {
      for (const auto& f : in.readiness->findings) {
        if (f.site < 0 || !(f.severity == rules::Gravity::blocker || f.blocks())) continue;
        st[in.hierarchy->sites[static_cast<size_t>(f.site)].code] = "blocked";
      }
    }
  }
  if (in.rehearsal && !in.journal && in.rehearsal->contains("sites") && (*in.rehearsal)["sites"].is_array()) {
    for (const auto& s : (*in.rehearsal)["sites"]) {
      std::string state = jstr(s, "state");
      if (state == "failed" || state == "down")
        st[jstr(s, "code")] = "failed";
      else if (s.value("verified", false))
        st[jstr(s, "code")] = "verified";
    }
  }
  if (in.journal) {
    struct Count {
      int total = 0, succeeded = 0, running = 0, waiting = 0, failed = 0, started = 0;
    };
    std::map<std::string, Count> c;
    for (const auto& s : *in.journal) {
      if (s.site.empty() || s.site == "*") continue;
      auto& k = c[s.site];
      ++k.total;
      k.succeeded += s.state == run::State::succeeded;
      k.running += s.state == run::State::running;
      k.waiting += s.state == run::State::waiting;
      k.failed += s.state == run::State::failed;
      k.started += s.started > 0;
    }
    for (const auto& [site, k] : c) {
      if (k.failed)
        st[site] = "failed";
      else if (k.waiting)
        st[site] = "waiting";
      else if (k.running || (k.started && k.succeeded < k.total))
        st[site] = "upgrading";
      else if (k.succeeded == k.total)
        st[site] = "verified";
    }
  }
  if (in.evidence) {
    for (const auto& e : *in.evidence) {
      if (e.verified && st[e.site] != "failed") st[e.site] = "verified";
    }
  }
  return st;
}

std::string render_live(const Inputs& in, const PageOptions& opt) {
  std::string o;
  auto states = site_states(in);
  section_eta(o, in);
  section_ops(o, in, opt);
  section_hierarchy(o, in, states);
  section_plan(o, in);
  section_evidence(o, in);
  return o;
}

std::string render_page(const Inputs& in, const PageOptions& opt) {
  std::string o;
  o.reserve(1 << 20);
  o += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  // The page loads nothing: not a font, not an image, not a script from
  // anywhere; only the live page talks to the server it came from.
  put(o,
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:; connect-src {}; form-action 'none'; base-uri 'none'\">",
      opt.live ? "'self'" : "'none'");
  put(o, "<title>{}</title><style>{}</style></head>", esc(in.title), kStyle);
  put(o, "<body data-live=\"{}\" data-version=\"{}\">", opt.live ? 1 : 0, esc(opt.version));
  section_header(o, in, opt);
  o += "<main>";
  if (opt.live) {
    o += "<section id=\"steer\" class=\"no-print\">";
    if (opt.controls) {
      o += "<label>Your name (recorded in the journal with each action): <input type=text id=\"who\" "
           "autocomplete=\"name\"></label> ";
    } else {
      o += "<span class=muted>Read-only view: steering is off (smsup serve --read-only).</span> ";
    }
    o += "<span id=\"msg\" role=\"status\"></span></section><div id=\"live\">";
    o += render_live(in, opt);
    o += "</div>";
    section_readiness(o, in);
    section_rehearsal(o, in);
    section_growth(o, in);
    section_clients(o, in);
    section_runbook(o, in);
  } else {
    auto states = site_states(in);
    section_eta(o, in);
    section_readiness(o, in);
    section_hierarchy(o, in, states);
    section_plan(o, in);
    section_rehearsal(o, in);
    section_growth(o, in);
    section_clients(o, in);
    section_evidence(o, in);
    section_runbook(o, in);
  }
  put(o, "</main><script>{}</script></body></html>\n", kScript);
  return o;
}

}  // namespace smsup::web
