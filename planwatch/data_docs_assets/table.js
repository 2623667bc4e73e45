/* planwatch: a small stand-in for the bootstrap-table plugin that GX Data Docs call on their
   index page (no PyPI package ships bootstrap-table, and the pages must work offline).
   It covers what the index uses: columns and data, sortable columns (sortName, sortOrder),
   a search box, rowStyle / rowAttributes named by function, and the click-row.bs.table event.
   Cell values are the HTML GX rendered, inserted as bootstrap-table does (not escaped). */
(function ($) {
  "use strict";

  function named(fn) { return typeof fn === "function" ? fn : (fn && window[fn]) || null; }

  function sortValue(row, column) {
    var v = row[column.sortName || column.field];
    if (typeof v === "number") { return v; }
    return $("<div>").html(v == null ? "" : String(v)).text().trim().toLowerCase();
  }

  function render($table) {
    var state = $table.data("planwatch-table"), o = state.options;
    var rows = o.data.slice();
    if (state.sortColumn) {
      var c = state.sortColumn, dir = state.sortOrder === "desc" ? -1 : 1;
      rows.sort(function (a, b) {
        var x = sortValue(a, c), y = sortValue(b, c);
        return x < y ? -dir : x > y ? dir : 0;
      });
    }
    var needle = (state.search || "").toLowerCase();
    var $body = $table.children("tbody").empty();
    var rowStyle = named(o.rowStyle), rowAttributes = named(o.rowAttributes);
    rows.forEach(function (row, i) {
      var $tr = $("<tr>");
      o.columns.forEach(function (col) {
        var $td = $("<td>").html(row[col.field] == null ? "" : String(row[col.field]));
        if (col.align) { $td.css("text-align", col.align); }
        $tr.append($td);
      });
      if (needle && $tr.text().toLowerCase().indexOf(needle) === -1) { return; }
      if (rowStyle) { var s = rowStyle(row, i) || {}; if (s.css) { $tr.css(s.css); } if (s.classes) { $tr.addClass(s.classes); } }
      if (rowAttributes) { $tr.attr(rowAttributes(row, i) || {}); }
      $tr.on("click", function () { $table.trigger("click-row.bs.table", [row, $tr]); });
      $body.append($tr);
    });
    $table.find("thead th").each(function () {
      var $th = $(this), field = $th.data("field");
      $th.toggleClass("pw-asc", state.sortColumn && state.sortColumn.field === field && state.sortOrder !== "desc");
      $th.toggleClass("pw-desc", state.sortColumn && state.sortColumn.field === field && state.sortOrder === "desc");
    });
  }

  function init($table, options) {
    var o = $.extend({columns: [], data: []}, options);
    var state = {options: o, search: "", sortOrder: o.sortOrder || "asc", sortColumn: null};
    o.columns.forEach(function (c) { if (c.field === o.sortName) { state.sortColumn = c; } });
    $table.data("planwatch-table", state).addClass("table table-bordered table-hover planwatch-table");
    var $tr = $("<tr>");
    o.columns.forEach(function (col) {
      var $th = $("<th>").text(col.title || col.field).attr("data-field", col.field);
      if (col.align) { $th.css("text-align", col.align); }
      if (String(col.sortable) === "true") {
        $th.addClass("pw-sortable").on("click", function () {
          state.sortOrder = state.sortColumn === col && state.sortOrder === "asc" ? "desc" : "asc";
          state.sortColumn = col;
          render($table);
        });
      }
      $tr.append($th);
    });
    $table.empty().append($("<thead>").append($tr), $("<tbody>"));
    if (String(o.search) === "true") {
      var $input = $('<input type="search" class="form-control form-control-sm pw-search" placeholder="Search">');
      $input.on("input", function () { state.search = this.value; render($table); });
      state.input = $input;
      var $toolbar = o.toolbar ? $(o.toolbar) : $();
      if ($toolbar.length) { $toolbar.append($input); } else { $table.before($input); }
    }
    render($table);
  }

  $.fn.bootstrapTable = function (options) {
    return this.each(function () {
      var $table = $(this), state = $table.data("planwatch-table");
      if (typeof options === "string") {  // methods the index calls: clearFilterControl, resetSearch
        if (state && (options === "resetSearch" || options === "clearFilterControl")) {
          state.search = "";
          if (state.input) { state.input.val(""); }
          render($table);
        }
        return;
      }
      init($table, options);
    });
  };
})(jQuery);
