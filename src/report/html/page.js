// Filters by verdict and family: rows of the rule table and rule sections carry
// data-verdict and data-family; unchecked values hide them. Without script the page
// shows every rule; printed, it shows the rules the filters show.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var shown = document.getElementById('shown');
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-verdict][data-family]'));
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type=checkbox]'));
  function picked(name) {
    return boxes.filter(function (b) { return b.name === name && b.checked; })
      .map(function (b) { return b.value; });
  }
  function describe(name, values) {
    var all = boxes.filter(function (b) { return b.name === name; }).length;
    return name + ': ' + (values.length === all ? 'all' : values.length ? values.join(', ') : 'none');
  }
  function apply() {
    var verdicts = picked('verdict');
    var families = picked('family');
    var rows = 0;
    var visible = 0;
    items.forEach(function (el) {
      var on = verdicts.indexOf(el.dataset.verdict) >= 0 && families.indexOf(el.dataset.family) >= 0;
      el.hidden = !on;
      if (el.tagName === 'TR') {
        rows += 1;
        if (on) { visible += 1; }
      }
    });
    shown.textContent = visible === rows ? '' :
      'Showing ' + visible + ' of ' + rows + ' rules (' + describe('verdict', verdicts) +
      '; ' + describe('family', families) + ').';
  }
  form.hidden = false;
  form.addEventListener('change', apply);
  apply();
}());
