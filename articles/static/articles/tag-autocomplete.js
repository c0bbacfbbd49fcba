// In the tag box, list matching existing tags first and the typed text (as a
// new tag) last, so pressing Enter picks "Azathioprine" rather than creating
// a tag from the half-typed "Azathio". Select2 puts new tags first by default.
// This runs right after select2 loads (the widget's media orders it so),
// before any autocomplete box starts.
(function () {
  "use strict";
  var $ = (window.django && window.django.jQuery) || window.jQuery;
  if ($ && $.fn.select2 && $.fn.select2.defaults) {
    $.fn.select2.defaults.set("insertTag", function (data, tag) {
      data.push(tag);
    });
  }
})();
