// Where a dated item sits in the plan form: the "Check in" buttons and the history are placed beside it.

/** The form element of the item whose hidden id input holds itemId (its fieldset), or null. */
export function itemElement(form, itemId) {
  for (const input of form.querySelectorAll('input[type="hidden"][data-key="id"]')) {
    if (input.value === itemId) return input.closest("fieldset") || input.parentElement;
  }
  return null;
}
