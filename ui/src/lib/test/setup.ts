// What jsdom leaves out and the components call. A browser has these; jsdom does not lay out,
// so they do nothing here.
if (!Element.prototype.scrollIntoView) {
  Element.prototype.scrollIntoView = function scrollIntoView() {};
}
