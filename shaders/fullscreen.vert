#version 330 core
// A quad built from gl_VertexID (no vertex buffer; drawn as a 4-vertex triangle strip), scaled to
// the letterboxed picture area. u_scale is the picture's share of the window in each direction.
uniform vec2 u_scale;
out vec2 v_uv;

void main() {
    vec2 corner = vec2(gl_VertexID & 1, gl_VertexID >> 1);
    v_uv = vec2(corner.x, 1.0 - corner.y); // texture row 0 is the top of the frame
    gl_Position = vec4((corner * 2.0 - 1.0) * u_scale, 0.0, 1.0);
}
