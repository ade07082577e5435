/* The PDFium reader's per-object, per-segment and per-character calls, made in C.
 *
 * The PDF reader (pdf_pdfium.py) needs, for every page, the path objects (with their
 * matrices and form nesting), each path's segments, and each character's loose box.
 * From Python that is one ctypes call per object, segment and character — thousands a
 * page, most of the reader's own time. This module makes the same PDFium calls in C and
 * returns the raw values: no arithmetic is done here (every coordinate is transformed
 * in Python, as before), so results cannot depend on the C compiler's floating-point
 * choices. It links to nothing: the PDFium functions' addresses come from pypdfium2's
 * bindings through bind(). Optional: without a C compiler the package installs without
 * it and pdf_pdfium.py makes the same calls through ctypes (pdfium_calls.py).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct { float a, b, c, d, e, f; } Matrix;
typedef struct { float left, top, right, bottom; } RectF;

typedef int (*count_fn)(void *);
typedef void *(*get_fn)(void *, int);
typedef void *(*get_ul_fn)(void *, unsigned long);
typedef int (*type_fn)(void *);
typedef int (*matrix_fn)(void *, Matrix *);
typedef int (*point_fn)(void *, float *, float *);
typedef int (*draw_mode_fn)(void *, int *, int *);
typedef int (*width_fn)(void *, float *);
typedef int (*loose_box_fn)(void *, int, RectF *);
typedef int (*char_flag_fn)(void *, int);
typedef double (*font_size_fn)(void *, int);
typedef int (*char_matrix_fn)(void *, int, Matrix *);
typedef int (*char_origin_fn)(void *, int, double *, double *);

static struct {
    count_fn page_count_objects;
    get_fn page_get_object;
    type_fn obj_get_type;
    matrix_fn obj_get_matrix;
    count_fn form_count_objects;
    get_ul_fn form_get_object;
    count_fn path_count_segments;
    get_fn path_get_segment;
    point_fn segment_get_point;
    type_fn segment_get_type;
    type_fn segment_get_close;
    draw_mode_fn path_get_draw_mode;
    width_fn obj_get_stroke_width;
    loose_box_fn text_loose_box;
    char_flag_fn text_is_generated;
    font_size_fn text_font_size;
    char_matrix_fn text_matrix;
    char_origin_fn text_origin;
    char_flag_fn text_map_error;
    int bound;
} F;

#define OBJ_PATH 2
#define OBJ_IMAGE 3
#define OBJ_FORM 5
#define MAX_FORM_DEPTH 16

static void *addr(PyObject *o) { return PyLong_AsVoidPtr(o); }

/* bind(page_count_objects, page_get_object, ...): the functions' addresses, in the
 * order of the struct above. */
static PyObject *bind(PyObject *self, PyObject *args) {
    PyObject *o[19];
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOOOOOOOOOO", &o[0], &o[1], &o[2], &o[3], &o[4],
                          &o[5], &o[6], &o[7], &o[8], &o[9], &o[10], &o[11], &o[12], &o[13],
                          &o[14], &o[15], &o[16], &o[17], &o[18]))
        return NULL;
    void *p[19];
    for (int i = 0; i < 19; i++) {
        p[i] = addr(o[i]);
        if (p[i] == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a null function address");
            return NULL;
        }
    }
    F.page_count_objects = (count_fn)p[0];
    F.page_get_object = (get_fn)p[1];
    F.obj_get_type = (type_fn)p[2];
    F.obj_get_matrix = (matrix_fn)p[3];
    F.form_count_objects = (count_fn)p[4];
    F.form_get_object = (get_ul_fn)p[5];
    F.path_count_segments = (count_fn)p[6];
    F.path_get_segment = (get_fn)p[7];
    F.segment_get_point = (point_fn)p[8];
    F.segment_get_type = (type_fn)p[9];
    F.segment_get_close = (type_fn)p[10];
    F.path_get_draw_mode = (draw_mode_fn)p[11];
    F.obj_get_stroke_width = (width_fn)p[12];
    F.text_loose_box = (loose_box_fn)p[13];
    F.text_is_generated = (char_flag_fn)p[14];
    F.text_font_size = (font_size_fn)p[15];
    F.text_matrix = (char_matrix_fn)p[16];
    F.text_origin = (char_origin_fn)p[17];
    F.text_map_error = (char_flag_fn)p[18];
    F.bound = 1;
    Py_RETURN_NONE;
}

static int need_bound(void) {
    if (!F.bound) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_bulk.bind() was not called");
        return 0;
    }
    return 1;
}

/* One walk level: append (kind, object, depth, a, b, c, d, e, f) for each path and form
 * object (a form's entries follow it); returns 1 if an image was seen, -1 on error. */
static int walk_level(void *holder, int is_form, int depth, PyObject *out) {
    int count = is_form ? F.form_count_objects(holder) : F.page_count_objects(holder);
    int images = 0;
    for (int k = 0; k < count; k++) {
        void *obj = is_form ? F.form_get_object(holder, (unsigned long)k)
                            : F.page_get_object(holder, k);
        if (obj == NULL)
            continue;
        int kind = F.obj_get_type(obj);
        if (kind == OBJ_IMAGE) {
            images = 1;
            continue;
        }
        if (kind != OBJ_PATH && !(kind == OBJ_FORM && depth < MAX_FORM_DEPTH))
            continue;
        Matrix m = {1, 0, 0, 1, 0, 0};
        F.obj_get_matrix(obj, &m);
        PyObject *item = Py_BuildValue("(iNidddddd)", kind, PyLong_FromVoidPtr(obj), depth,
                                       (double)m.a, (double)m.b, (double)m.c, (double)m.d,
                                       (double)m.e, (double)m.f);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            return -1;
        }
        Py_DECREF(item);
        if (kind == OBJ_FORM) {
            int r = walk_level(obj, 1, depth + 1, out);
            if (r < 0)
                return -1;
            images |= r;
        }
    }
    return images;
}

/* objects(page) -> (has_images, [(kind, object, depth, a, b, c, d, e, f), ...]) */
static PyObject *objects(PyObject *self, PyObject *args) {
    PyObject *page_o;
    if (!need_bound() || !PyArg_ParseTuple(args, "O", &page_o))
        return NULL;
    void *page = addr(page_o);
    if (page == NULL)
        return PyErr_Occurred() ? NULL : PyErr_Format(PyExc_ValueError, "a null page");
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    int images = walk_level(page, 0, 0, out);
    if (images < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return Py_BuildValue("(NN)", PyBool_FromLong(images), out);
}

/* segments(path) -> (fill mode, stroke, line width, (x, y, type, close, x, y, ...)) */
static PyObject *segments(PyObject *self, PyObject *args) {
    PyObject *obj_o;
    if (!need_bound() || !PyArg_ParseTuple(args, "O", &obj_o))
        return NULL;
    void *obj = addr(obj_o);
    if (obj == NULL)
        return PyErr_Occurred() ? NULL : PyErr_Format(PyExc_ValueError, "a null path");
    int fill = 0, stroke = 0;
    float width = 0;
    F.path_get_draw_mode(obj, &fill, &stroke);
    if (fill || stroke)
        F.obj_get_stroke_width(obj, &width);
    int n = (fill || stroke) ? F.path_count_segments(obj) : 0;
    if (n < 0)
        n = 0;
    PyObject *flat = PyTuple_New((Py_ssize_t)n * 4);
    if (flat == NULL)
        return NULL;
    for (int s = 0; s < n; s++) {
        void *seg = F.path_get_segment(obj, s);
        float x = 0, y = 0;
        int type = -1, closes = 0;
        if (seg != NULL) {
            F.segment_get_point(seg, &x, &y);
            type = F.segment_get_type(seg);
            closes = F.segment_get_close(seg);
        }
        PyObject *v[4] = {PyFloat_FromDouble((double)x), PyFloat_FromDouble((double)y),
                          PyLong_FromLong(type), PyBool_FromLong(closes)};
        for (int j = 0; j < 4; j++) {
            if (v[j] == NULL) {
                for (int k = 0; k < 4; k++)
                    Py_XDECREF(v[k]);
                Py_DECREF(flat);
                return NULL;
            }
        }
        for (int j = 0; j < 4; j++)
            PyTuple_SET_ITEM(flat, (Py_ssize_t)s * 4 + j, v[j]);
    }
    return Py_BuildValue("(iidN)", fill, stroke, (double)width, flat);
}

/* char_boxes(textpage, n, candidates) -> (boxes, generated, info): ``boxes`` the bytes of
 * n x (left, top, right, bottom) float32 loose boxes; ``generated`` n bytes, 1 for a char
 * PDFium generated itself (looked up only where ``candidates``, n bytes, is set);
 * ``info`` n x 8 doubles: font size, the char matrix's a b c d, the origin's x y, and
 * the Unicode-map-error flag (zeros for generated chars). */
#define INFO 8
static PyObject *char_boxes(PyObject *self, PyObject *args) {
    PyObject *tp_o;
    int n;
    Py_buffer cand;
    if (!need_bound() || !PyArg_ParseTuple(args, "Oiy*", &tp_o, &n, &cand))
        return NULL;
    void *tp = addr(tp_o);
    if (tp == NULL || n < 0 || cand.len < n) {
        PyBuffer_Release(&cand);
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "a null text page or a short flag buffer");
        return NULL;
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n * (Py_ssize_t)sizeof(RectF));
    PyObject *gen = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n);
    PyObject *info = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n * INFO * sizeof(double));
    if (out == NULL || gen == NULL || info == NULL) {
        Py_XDECREF(out);
        Py_XDECREF(gen);
        Py_XDECREF(info);
        PyBuffer_Release(&cand);
        return NULL;
    }
    RectF *boxes = (RectF *)PyBytes_AS_STRING(out);
    char *generated = PyBytes_AS_STRING(gen);
    double *facts = (double *)PyBytes_AS_STRING(info);
    const char *flags = (const char *)cand.buf;
    for (int i = 0; i < n; i++) {
        RectF r = {0, 0, 0, 0};
        Matrix m = {0, 0, 0, 0, 0, 0};
        double x = 0, y = 0, size = 0, error = 0;
        generated[i] = (char)(flags[i] && F.text_is_generated(tp, i) ? 1 : 0);
        if (!generated[i]) {
            F.text_loose_box(tp, i, &r);
            size = F.text_font_size(tp, i);
            F.text_matrix(tp, i, &m);
            F.text_origin(tp, i, &x, &y);
            error = (double)F.text_map_error(tp, i);
        }
        boxes[i] = r;
        double *f = facts + (size_t)i * INFO;
        f[0] = size;
        f[1] = (double)m.a;
        f[2] = (double)m.b;
        f[3] = (double)m.c;
        f[4] = (double)m.d;
        f[5] = x;
        f[6] = y;
        f[7] = error;
    }
    PyBuffer_Release(&cand);
    return Py_BuildValue("(NNN)", out, gen, info);
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS, "Store the PDFium functions' addresses."},
    {"objects", objects, METH_VARARGS, "A page's path and form objects, and whether it has images."},
    {"segments", segments, METH_VARARGS, "A path's draw mode, line width and segments."},
    {"char_boxes", char_boxes, METH_VARARGS, "The loose boxes of a text page's characters."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_bulk", NULL, -1, methods};

PyMODINIT_FUNC PyInit__pdfium_bulk(void) { return PyModule_Create(&module); }
