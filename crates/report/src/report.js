(function () {
  'use strict';
  var active = null;
  function marks(id) { return document.querySelectorAll('mark[data-f~="' + id + '"]'); }
  function button(id) { return document.querySelector('button.fbtn[data-f="' + id + '"]'); }
  function say(text) { var l = document.getElementById('live'); if (l) { l.textContent = text; } }
  function clear() {
    if (active === null) { return; }
    marks(active).forEach(function (m) { m.classList.remove('hit'); });
    var b = button(active);
    if (b) { b.setAttribute('aria-pressed', 'false'); b.parentNode.classList.remove('on'); }
    active = null;
  }
  function show(id, scroll) {
    clear();
    active = id;
    var b = button(id);
    if (b) { b.setAttribute('aria-pressed', 'true'); b.parentNode.classList.add('on'); }
    var firsts = [];
    marks(id).forEach(function (m) {
      m.classList.add('hit');
      var body = m.closest('.ver-b');
      if (body && !firsts.some(function (f) { return f.body === body; })) { firsts.push({ body: body, mark: m }); }
    });
    say(firsts.length ? 'Evidence highlighted in ' + firsts.length + ' version' + (firsts.length === 1 ? '' : 's') : 'No evidence to highlight');
    if (!scroll || !firsts.length) { return; }
    firsts.forEach(function (f) {
      if (f.body.scrollHeight > f.body.clientHeight + 1) {
        f.body.scrollTop = Math.max(0, f.mark.offsetTop - f.body.clientHeight / 3);
      }
    });
    var first = firsts[0].mark, row = first.closest('.vers'), col = first.closest('.ver');
    if (row && col && row.scrollWidth > row.clientWidth + 1) { row.scrollLeft = col.offsetLeft - 8; }
    // Side by side, the columns scrolled themselves; stacked (phone), bring the first into view.
    var stacked = firsts[0].body.scrollHeight <= firsts[0].body.clientHeight + 1;
    first.scrollIntoView({ block: stacked ? 'center' : 'nearest', inline: 'nearest' });
  }
  document.addEventListener('click', function (e) {
    var t = e.target.closest ? e.target : e.target.parentNode;
    var b = t.closest('button.fbtn');
    if (b) { if (active === b.dataset.f) { clear(); say('Highlight cleared'); } else { show(b.dataset.f, true); } return; }
    var a = t.closest('a.evlink');
    if (a) { show(a.dataset.f, false); }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && active !== null) { clear(); say('Highlight cleared'); }
  });
}());
